namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Instruction, parameter and tag bytes of the NXP SE05x IoT applet, as defined in AN12413 "SE05x APDU specification"
    /// §4.3 (instruction and parameter tables) and §4.4 (tags), and named here after the constants of NXP's Plug &amp; Trust
    /// middleware (se05x_enums.h, se05x_tlv.h).
    /// </summary>
    public static class Se05xCodes
    {
        /// <summary>The class byte of every applet command without secure messaging (se05x_tlv.h kSE05x_CLA).</summary>
        public const byte Cla = 0x80;

        /// <summary>INS_WRITE: create or write a secure object (kSE05x_INS_WRITE).</summary>
        public const byte InsWrite = 0x01;

        /// <summary>INS_READ: read an object (kSE05x_INS_READ).</summary>
        public const byte InsRead = 0x02;

        /// <summary>INS_CRYPTO: cryptographic operations and I2C master (kSE05x_INS_CRYPTO).</summary>
        public const byte InsCrypto = 0x03;

        /// <summary>INS_MGMT: management (version, random, exists, delete) (kSE05x_INS_MGMT).</summary>
        public const byte InsMgmt = 0x04;

        /// <summary>INS_ATTEST flag, or-ed into INS for attested reads (kSE05x_INS_ATTEST).</summary>
        public const byte InsAttestFlag = 0x20;

        /// <summary>INS_TRANSIENT flag, or-ed into INS_WRITE to create a transient object (kSE05x_INS_TRANSIENT).</summary>
        public const byte InsTransientFlag = 0x80;

        /// <summary>P1_DEFAULT (kSE05x_P1_DEFAULT).</summary>
        public const byte P1Default = 0x00;

        /// <summary>P1_EC: EC key (kSE05x_P1_EC).</summary>
        public const byte P1Ec = 0x01;

        /// <summary>P1_KEY_PAIR, or-ed into the key type (kSE05x_P1_KEY_PAIR).</summary>
        public const byte P1KeyPair = 0x60;

        /// <summary>P1_COUNTER (kSE05x_P1_COUNTER).</summary>
        public const byte P1Counter = 0x08;

        /// <summary>P1_SIGNATURE (kSE05x_P1_SIGNATURE).</summary>
        public const byte P1Signature = 0x0C;

        /// <summary>P1_MAC (kSE05x_P1_MAC).</summary>
        public const byte P1Mac = 0x0D;

        /// <summary>P2_DEFAULT (kSE05x_P2_DEFAULT).</summary>
        public const byte P2Default = 0x00;

        /// <summary>P2_SIGN (kSE05x_P2_SIGN).</summary>
        public const byte P2Sign = 0x09;

        /// <summary>P2_VERIFY (kSE05x_P2_VERIFY).</summary>
        public const byte P2Verify = 0x0A;

        /// <summary>P2_VERSION (kSE05x_P2_VERSION).</summary>
        public const byte P2Version = 0x20;

        /// <summary>P2_EXIST (kSE05x_P2_EXIST).</summary>
        public const byte P2Exist = 0x27;

        /// <summary>P2_DELETE_OBJECT (kSE05x_P2_DELETE_OBJECT).</summary>
        public const byte P2DeleteObject = 0x28;

        /// <summary>P2_I2CM (kSE05x_P2_I2CM); the middleware sends it for the attested command set too.</summary>
        public const byte P2I2cm = 0x30;

        /// <summary>P2_GENERATE_ONESHOT (kSE05x_P2_GENERATE_ONESHOT).</summary>
        public const byte P2GenerateOneShot = 0x45;

        /// <summary>P2_VALIDATE_ONESHOT (kSE05x_P2_VALIDATE_ONESHOT).</summary>
        public const byte P2ValidateOneShot = 0x46;

        /// <summary>P2_RANDOM (kSE05x_P2_RANDOM).</summary>
        public const byte P2Random = 0x49;

        /// <summary>INS_PROCESS: ProcessSessionCmd (kSE05x_INS_PROCESS).</summary>
        public const byte InsProcess = 0x05;

        /// <summary>INS_AUTH_OBJECT flag, or-ed into INS_WRITE to create an authentication object (kSE05x_INS_AUTH_OBJECT).</summary>
        public const byte InsAuthObjectFlag = 0x40;

        /// <summary>P1_AES (kSE05x_P1_AES).</summary>
        public const byte P1Aes = 0x03;

        /// <summary>P1_BINARY (kSE05x_P1_BINARY).</summary>
        public const byte P1Binary = 0x06;

        /// <summary>P1_UserID (kSE05x_P1_UserID).</summary>
        public const byte P1UserId = 0x07;

        /// <summary>P1_CRYPTO_OBJ (kSE05x_P1_CRYPTO_OBJ).</summary>
        public const byte P1CryptoObject = 0x10;

        /// <summary>P2_GENERATE: MACInit for generating (kSE05x_P2_GENERATE).</summary>
        public const byte P2Generate = 0x03;

        /// <summary>P2_SIZE: ReadSize (kSE05x_P2_SIZE).</summary>
        public const byte P2Size = 0x07;

        /// <summary>P2_UPDATE (kSE05x_P2_UPDATE).</summary>
        public const byte P2Update = 0x0C;

        /// <summary>P2_FINAL (kSE05x_P2_FINAL).</summary>
        public const byte P2Final = 0x0D;

        /// <summary>P2_SESSION_CREATE (kSE05x_P2_SESSION_CREATE).</summary>
        public const byte P2SessionCreate = 0x1B;

        /// <summary>P2_SESSION_CLOSE (kSE05x_P2_SESSION_CLOSE).</summary>
        public const byte P2SessionClose = 0x1C;

        /// <summary>P2_LIST: ReadIDList (kSE05x_P2_LIST).</summary>
        public const byte P2List = 0x25;

        /// <summary>P2_TYPE: ReadType (kSE05x_P2_TYPE).</summary>
        public const byte P2Type = 0x26;

        /// <summary>P2_SESSION_UserID: VerifySessionUserID (kSE05x_P2_SESSION_UserID).</summary>
        public const byte P2SessionUserId = 0x2C;

        /// <summary>P2_VALIDATE: MACInit for validating (kSE05x_P2_VALIDATE).</summary>
        public const byte P2Validate = 0x44;

        /// <summary>TAG_SESSION_ID (kSE05x_TAG_SESSION_ID).</summary>
        public const int TagSessionId = 0x10;

        /// <summary>TAG_MAX_ATTEMPTS (kSE05x_TAG_MAX_ATTEMPTS).</summary>
        public const int TagMaxAttempts = 0x12;

        /// <summary>CryptoContext SIGNATURE: a crypto object for MACs (kSE05x_CryptoContext_SIGNATURE).</summary>
        public const byte CryptoContextMac = 0x03;

        /// <summary>MoreIndicator NO_MORE in a ReadIDList answer (kSE05x_MoreIndicator_NO_MORE).</summary>
        public const byte MoreIndicatorNoMore = 0x01;

        /// <summary>MoreIndicator MORE in a ReadIDList answer (kSE05x_MoreIndicator_MORE).</summary>
        public const byte MoreIndicatorMore = 0x02;

        /// <summary>The type filter of ReadIDList for every object type.</summary>
        public const byte AllTypes = 0xFF;

        /// <summary>TAG_POLICY: the object policy (kSE05x_TAG_POLICY).</summary>
        public const int TagPolicy = 0x11;

        /// <summary>TAG_1 (kSE05x_TAG_1); TAG_n is 0x40 + n.</summary>
        public const int Tag1 = 0x41;

        /// <summary>TAG_2 (kSE05x_TAG_2).</summary>
        public const int Tag2 = 0x42;

        /// <summary>TAG_3 (kSE05x_TAG_3).</summary>
        public const int Tag3 = 0x43;

        /// <summary>TAG_4 (kSE05x_TAG_4).</summary>
        public const int Tag4 = 0x44;

        /// <summary>TAG_5 (kSE05x_TAG_5).</summary>
        public const int Tag5 = 0x45;

        /// <summary>TAG_6 (kSE05x_TAG_6).</summary>
        public const int Tag6 = 0x46;

        /// <summary>TAG_7 (kSE05x_TAG_7).</summary>
        public const int Tag7 = 0x47;

        /// <summary>TAG_TIMESTAMP, applet 7.x (kSE05x_TAG_TIMESTAMP).</summary>
        public const int TagTimestamp = 0x4F;

        /// <summary>TAG_SIGNATURE, applet 7.x (kSE05x_TAG_SIGNATURE).</summary>
        public const int TagSignature = 0x52;

        /// <summary>ECCurve NIST_P256 (kSE05x_ECCurve_NIST_P256).</summary>
        public const byte CurveNistP256 = 0x03;

        /// <summary>ECSignatureAlgo SIG_ECDSA_SHA_256 (kSE05x_ECSignatureAlgo_SHA_256): the host hashes, the SE signs the digest.</summary>
        public const byte EcdsaSha256 = 0x21;

        /// <summary>Result SUCCESS in a TLV[TAG_1] result byte (kSE05x_Result_SUCCESS).</summary>
        public const byte ResultSuccess = 0x01;

        /// <summary>Result FAILURE in a TLV[TAG_1] result byte (kSE05x_Result_FAILURE).</summary>
        public const byte ResultFailure = 0x02;
    }
}
