using System.Security.Cryptography;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>
/// The exact APDU forms NXP's host library (Plug &amp; Trust 04.02.00) sends, as its sources build them and as its examples
/// sent them to the virtual SE05x over jrcpv1: each must get the answer the host parses. Files named are NXP's
/// (hostlib/hostLib/se05x_03_xx_xx/, hostlib/hostLib/se05x/src/, sss/src/se05x/); the bytes are built here.
/// </summary>
public class Se05xNxpHostFormsTests
{
    private const string Select = "00A4040010A0000003965453000000010300000000";

    [Fact]
    public void ReadECCurveList_OneSetIndicatorPerWeierstrassCurve()
    {
        // se05x_APDU_impl.h Se05x_API_ReadECCurveList: 80 02 0B 25 with Le 00, TLV[TAG_1] read into a buffer of
        // kSE05x_ECCurve_Total_Weierstrass_Curves (17) bytes; fsl_sss_se05x_apis.c then tests curveList[curve_id - 1] ==
        // kSE05x_SetIndicator_SET (02). A fresh virtual card holds NIST P-256 (03) only; the rest are NOT_SET (01).
        var rig = new Se05xRig();
        Se05xRig.Reply reply = rig.Send("80020B2500");
        Assert.Equal(0x9000, reply.Sw);
        Assert.Equal("41820011" + "010102" + string.Concat(Enumerable.Repeat("01", 14)), reply.Hex);
    }

    [Fact]
    public void GetECCurveId_TheCurveOfAnEcKey()
    {
        // se05x_APDU_impl.h Se05x_API_GetECCurveId: 80 02 0B 36, TLV[TAG_1] object id → TLV[TAG_1] one byte (tlvGet_U8);
        // sss_se05x_key_store_set_ecc_key asks it before overwriting a key.
        var rig = new Se05xRig();
        Assert.Equal(0x9000, rig.Send(WriteEcPair("EF000070", extra: string.Empty)).Sw);
        Se05xRig.Reply curve = rig.Send("80020B36064104EF000070");
        Assert.Equal((0x9000, "410103"), (curve.Sw, curve.Hex));
        Assert.Equal(0x6985, rig.Send("80020B36064104EF000071").Sw);
    }

    [Fact]
    public void ReadObject_LengthWithoutOffset_UniqueId()
    {
        // fsl_sss_se05x_apis.c sss_se05x_session_prop_get_au8: Se05x_API_ReadObject(UNIQUE_ID, 0, 18); se05x_tlv.c
        // tlvSet_U16Optional leaves the zero offset out, so TLV[TAG_3] comes alone (extended form, Le 00 00).
        var rig = new Se05xRig();
        Se05xRig.Reply uid = rig.Send("800200" + "00" + "00000A" + "41047FFF0206" + "43020012" + "0000");
        Assert.Equal(0x9000, uid.Sw);
        Assert.Equal(4 + 18, uid.Data.Length);
        Assert.StartsWith("41820012", uid.Hex);
    }

    [Fact]
    public void ReadObject_OffsetWithoutLength_ReadsToTheEnd()
    {
        // The same rule the other way round: ReadObject(id, offset, 0) sends TLV[TAG_2] alone.
        var rig = new Se05xRig();
        Assert.Equal(0x9000, rig.Send(Short("80010600", "4104EF000100" + "43020005" + "4405" + "0102030405")).Sw);
        Se05xRig.Reply tail = rig.Send("800200" + "00" + "00000A" + "4104EF000100" + "42020003" + "0000");
        Assert.Equal((0x9000, "418200020405"), (tail.Sw, tail.Hex));
    }

    [Fact]
    public void WriteECKeyVer_Applet7_TakesTheKeyVersion()
    {
        // se05x_04_xx_APDU_impl.h Se05x_API_WriteECKey_Ver: ... TLV[TAG_11] 4-byte version (0 from the SSS layer), short Lc.
        var rig = new Se05xRig(appletMajor: 7);
        Assert.Equal(0x9000, rig.Send(WriteEcPair("EF000070", extra: "4B0400000000")).Sw);
        Assert.Equal(0x9000, rig.Send(Short("80030C09", "4104EF000070" + "420121" + "4320" + new string('A', 64))).Sw);
    }

    [Theory]
    [InlineData(3, "01")]
    [InlineData(7, "29")]
    public void ReadType_EcKeyPair_Applet7NamesTheCurve(int applet, string type)
    {
        // se05x_enums.h: with SSS_HAVE_SE05X_VER_GTE_07_02 the types carry the curve, kSE05x_SecObjTyp_EC_KEY_PAIR_NIST_P256
        // = 29, which fsl_sss_se05x_apis.c (sss_se05x_key_object_get_handle) reads as a key pair; before, EC_KEY_PAIR = 01.
        var rig = new Se05xRig(appletMajor: applet);
        Assert.Equal(0x9000, rig.Send(WriteEcPair("EF000070", extra: applet == 7 ? "4B0400000000" : string.Empty)).Sw);
        Se05xRig.Reply reply = rig.Send("8002002606" + "4104EF000070");
        Assert.Equal((0x9000, "4101" + type + "420101"), (reply.Sw, reply.Hex));
        Se05xRig.Reply list = rig.Send("800200250000074102000042" + "01" + type + "0000");
        Assert.Equal("410101" + "42820004" + "EF000070", list.Hex);
    }

    [Fact]
    public void WriteECKeyVer_Applet3_KeyVersionIsWrongData()
    {
        // Applet 3.x has no key versions: the SE050 host (se05x_APDU_impl.h Se05x_API_WriteECKey) never sends TAG_11.
        var rig = new Se05xRig(appletMajor: 3);
        Assert.Equal(0x6A80, rig.Send(WriteEcPair("EF000070", extra: "4B0400000000")).Sw);
    }

    [Fact]
    public void WriteSymmKeyVer_Applet7Hmac_TakesMinimumOutputLengthAndVersion()
    {
        // se05x_04_xx_APDU_impl.h Se05x_API_WriteSymmKey_Ver, SSS_HAVE_SE05X_VER_GTE_07_02 and an HMAC key:
        // TLV[TAG_5] SE05X_MINIMUM_KEY_DERIVATION_OUTPUT_LEN (00 10), then TLV[TAG_11] version.
        var rig = new Se05xRig(appletMajor: 7);
        string key = "48656C6C6F48656C6C6F48656C6C6F48";
        Assert.Equal(0x9000, rig.Send(Short("80010500", "4104EF000053" + "4310" + key + "45020010" + "4B0400000000")).Sw);
        byte[] data = "Hello World"u8.ToArray();
        Se05xRig.Reply mac = rig.Send(Short("80030D45", "4104EF000053" + "420119" + "430B" + Hex.Of(data)) + "00");
        Assert.Equal(0x9000, mac.Sw);
        Assert.Equal("41820020" + Hex.Of(HMACSHA256.HashData(Hex.Parse(key), data)), mac.Hex);
    }

    [Fact]
    public void UpdateSymmKeyVer_Applet7_PolicyCheckMustMatchTheStoredPolicy()
    {
        // se05x_04_xx_APDU_impl.h Se05x_API_UpdateSymmKey_Ver: TLV[TAG_POLICY_CHECK] (15) then TAG_1, TAG_3, TAG_11;
        // se05x_04_xx_APDU_apis.h: "If policy is passed, it should match with existing policy on object".
        var rig = new Se05xRig(appletMajor: 7);
        string policy = "08" + "00000000" + "10140000"; // default session: SIGN, WRITE, DELETE
        string key = new('1', 32);
        Assert.Equal(0x9000, rig.Send(Short("80010500", "1109" + policy + "4104EF000053" + "4310" + key + "45020010" + "4B0400000000")).Sw);
        string update = "4104EF000053" + "4310" + new string('2', 32) + "4B0400000000";
        Assert.Equal(0x9000, rig.Send(Short("80010500", "1509" + policy + update)).Sw);
        string other = "08" + "00000000" + "10100000";
        Assert.Equal(0x6985, rig.Send(Short("80010500", "1509" + other + update)).Sw);
    }

    [Fact]
    public void UpdateCounter_Applet7_PolicyCheckAccepted_Applet3_WrongData()
    {
        // se05x_04_xx_APDU_impl.h Se05x_API_UpdateCounter: TLV[TAG_POLICY_CHECK], TAG_1, no TAG_3 = increment.
        string policy = "08" + "00000000" + "00340000"; // READ, WRITE, DELETE
        string create = Short("80010800", "1109" + policy + "4104EF000200" + "42020004");
        string increment = Short("80010800", "1509" + policy + "4104EF000200");
        var seven = new Se05xRig(appletMajor: 7);
        Assert.Equal(0x9000, seven.Send(create).Sw);
        Assert.Equal(0x9000, seven.Send(increment).Sw);
        Assert.Equal("4182000400000001", seven.Send("800200" + "00" + "000006" + "4104EF000200" + "0000").Hex);

        var three = new Se05xRig(appletMajor: 3);
        Assert.Equal(0x9000, three.Send(create).Sw);
        Assert.Equal(0x6A80, three.Send(increment).Sw);
    }

    [Fact]
    public void DigestOneShot_Sha256()
    {
        // se05x_APDU_impl.h Se05x_API_DigestOneShot: 80 03 00 0E, TLV[TAG_1] digest mode (04 SHA-256), TLV[TAG_2] data;
        // the answer TLV[TAG_1] (ex_md sends "HelloWorld" with Le 00).
        var rig = new Se05xRig();
        Se05xRig.Reply reply = rig.Send("8003000E0F" + "410104" + "420A" + Hex.Of("HelloWorld"u8.ToArray()) + "00");
        Assert.Equal((0x9000, "41820020" + Hex.Of(SHA256.HashData("HelloWorld"u8))), (reply.Sw, reply.Hex));
        Assert.Equal(0x6A80, rig.Send("8003000E0F" + "410100" + "420A" + Hex.Of("HelloWorld"u8.ToArray())).Sw); // NO_HASH
    }

    [Fact]
    public void EcdhGenerateSharedSecret_XCoordinateOfTheSharedPoint_RightKa()
    {
        // se05x_APDU_impl.h Se05x_API_ECDHGenerateSharedSecret: 80 03 01 0F (extended, Le 00 00), TLV[TAG_1] key id,
        // TLV[TAG_2] the peer's public key; the answer TLV[TAG_1] the shared secret. Policy right ALLOW_KA (04000000).
        using var card = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var peer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        ECParameters c = card.ExportParameters(includePrivateParameters: true), q = peer.ExportParameters(false);
        string pair = "4320" + Hex.Of(c.D!) + "4441" + "04" + Hex.Of(c.Q.X!) + Hex.Of(c.Q.Y!);
        var rig = new Se05xRig();
        Assert.Equal(0x9000, rig.Send(Short("80016100", "4104EF000047" + "420103" + pair)).Sw);
        string signOnly = "1109" + "08" + "00000000" + "10000000";
        Assert.Equal(0x9000, rig.Send(Short("80016100", signOnly + "4104EF000048" + "420103" + pair)).Sw);
        string body = "4104EF000047" + "4241" + "04" + Hex.Of(q.Q.X!) + Hex.Of(q.Q.Y!);
        Se05xRig.Reply secret = rig.Send("8003010F" + "00" + (body.Length / 2).ToString("X4") + body + "0000");
        Assert.Equal((0x9000, "41820020" + Hex.Of(card.DeriveRawSecretAgreement(peer.PublicKey))), (secret.Sw, secret.Hex));
        Assert.Equal(0x6986, rig.Send("8003010F" + "00" + (body.Length / 2).ToString("X4") + body.Replace("EF000047", "EF000048") + "0000").Sw);
    }

    [Theory]
    [InlineData("0E", "", "3AD77BB40D7A3660A89ECAF32466EF97")]                                   // SP 800-38A F.1.1 ECB
    [InlineData("0D", "4410000102030405060708090A0B0C0D0E0F", "7649ABAC8119B246CEE98E9B12E9197D")] // F.2.1 CBC
    [InlineData("F0", "4410F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF", "874D6191B620E3261BEF6864990DB6CE")] // F.5.1 CTR
    public void CipherOneShot_AesModes_NistVectors(string mode, string iv, string expected)
    {
        // se05x_APDU_impl.h Se05x_API_CipherOneShot: 80 03 0E 37 (encrypt) / 38 (decrypt), TLV[TAG_1] key id,
        // TLV[TAG_2] cipher mode, TLV[TAG_3] data, TLV[TAG_4] IV; the answer TLV[TAG_1]. Key and block: NIST SP 800-38A.
        var rig = new Se05xRig();
        Assert.Equal(0x9000, rig.Send(Short("80010300", "4104EF000044" + "4310" + "2B7E151628AED2A6ABF7158809CF4F3C")).Sw);
        string body = "4104EF000044" + "4201" + mode;
        Se05xRig.Reply enc = rig.Send("80030E37" + "00" + ((body.Length + 36 + iv.Length) / 2).ToString("X4") + body + "4310" + "6BC1BEE22E409F96E93D7E117393172A" + iv + "0000");
        Assert.Equal((0x9000, "41820010" + expected), (enc.Sw, enc.Hex));
        Se05xRig.Reply dec = rig.Send("80030E38" + "00" + ((body.Length + 36 + iv.Length) / 2).ToString("X4") + body + "4310" + expected + iv + "0000");
        Assert.Equal((0x9000, "41820010" + "6BC1BEE22E409F96E93D7E117393172A"), (dec.Sw, dec.Hex));
    }

    [Fact]
    public void Hkdf_Rfc5869TestCase1()
    {
        // se05x_APDU_impl.h Se05x_API_HKDF: 80 03 00 2D (extended, Le 00 00), TLV[TAG_1] HMAC key id (IKM), TLV[TAG_2]
        // digest mode, TLV[TAG_3] salt, TLV[TAG_4] info, TLV[TAG_5] 2-byte L; the answer TLV[TAG_1]. RFC 5869 A.1.
        var rig = new Se05xRig();
        Assert.Equal(0x9000, rig.Send(Short("80010500", "4104EF000040" + "4316" + string.Concat(Enumerable.Repeat("0B", 22)))).Sw);
        string body = "4104EF000040" + "420104" + "430D" + "000102030405060708090A0B0C" + "440A" + "F0F1F2F3F4F5F6F7F8F9" + "4502002A";
        Se05xRig.Reply okm = rig.Send("8003002D" + "00" + (body.Length / 2).ToString("X4") + body + "0000");
        Assert.Equal(0x9000, okm.Sw);
        Assert.Equal("4182002A" + "3CB25F25FAACD57A90434F64D0362F2A2D2D0A90CF1A5A4C5DB02D56ECC4C5BF34007208D5B887185865", okm.Hex);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void ReadObjectWithAttestation_SignedAsNxpsExampleChecksIt(int applet)
    {
        // se05x_APDU_impl.h Se05x_API_ReadObject_W_Attst (3.x) / _V2 (7.x): 80 22 00 00, extended, TLV[TAG_1] id,
        // TLV[TAG_5] attestation key, TLV[TAG_6] 21, TLV[TAG_7] 16-byte freshness, Le 00 00. ex_sss_ecc_attest.c checks
        // the signature over, on 3.x, the values of TAG_1 to TAG_5 one after the other; on 7.x SHA-256 of the command it
        // kept (80 22 00 00 00 00 Lc data), then the answer's TLVs before the signature.
        using var attestation = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters a = attestation.ExportParameters(includePrivateParameters: true);
        string attestPolicy = "1109" + "08" + "00000000" + "08008000"; // VERIFY, ATTESTATION
        string version = applet == 7 ? "4B0400000000" : string.Empty;
        var rig = new Se05xRig(appletMajor: applet);
        Assert.Equal(0x9000, rig.Send(Short("80016100", attestPolicy + "4104EF0000A0" + "420103" + "4320" + Hex.Of(a.D!)
            + "4441" + "04" + Hex.Of(a.Q.X!) + Hex.Of(a.Q.Y!) + version)).Sw);
        Assert.Equal(0x9000, rig.Send(WriteEcPair("EF0000A1", extra: version)).Sw);
        string data = "4104EF0000A1" + "4504EF0000A0" + "460121" + "4710" + "0102030405060708090A0B0C0D0E0F10";
        string command = "80220000" + "00" + (data.Length / 2).ToString("X4") + data;
        Se05xRig.Reply reply = rig.Send(command + "0000");
        Assert.Equal(0x9000, reply.Sw);

        List<(int Tag, byte[] Value, int End)> tlvs = Tlvs(reply.Data);
        byte[] signature = tlvs[^1].Value;
        byte[] signedData = applet == 7
            ? [.. SHA256.HashData(Hex.Parse(command)), .. reply.Data.AsSpan(0, tlvs[^2].End)]
            : [.. tlvs.Take(5).SelectMany(t => t.Value)];
        Assert.Equal(applet == 7 ? [0x41, 0x42, 0x43, 0x44, 0x4F, 0x52] : new[] { 0x41, 0x42, 0x43, 0x44, 0x45, 0x46 }, tlvs.Select(t => t.Tag));
        Assert.True(attestation.VerifyData(signedData, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        // Our attribute layout (AN12413's is not in NXP's sources): id, type as ReadType reports it, 02 not an auth object,
        // failed attempts, creator (the default session), maximum attempts, then the policy and the origin.
        byte[] attributes = tlvs[applet == 7 ? 2 : 1].Value;
        Assert.Equal("EF0000A1" + (applet == 7 ? "29" : "01") + "02" + "0000" + "00000000" + "0000", Hex.Of(attributes, 0, 14));
        byte[] timestamp = tlvs[applet == 7 ? 4 : 2].Value;
        Assert.Equal(12, timestamp.Length);
        Assert.Equal("00000000", Hex.Of(timestamp, 0, 4));
    }

    private static List<(int Tag, byte[] Value, int End)> Tlvs(byte[] data)
    {
        var list = new List<(int, byte[], int)>();
        for (int p = 0; p < data.Length;)
        {
            int tag = data[p];
            Assert.Equal(0x82, data[p + 1]);
            int length = (data[p + 2] << 8) | data[p + 3];
            list.Add((tag, data[(p + 4)..(p + 4 + length)], p + 4 + length));
            p += 4 + length;
        }

        return list;
    }

    [Fact]
    public void Select_AsTheMiddlewareSendsIt_AnswersTheVersion()
    {
        // sm_connect / se05x session open: 00 A4 04 00 10 <AID> 00 → the 7 version bytes.
        Se05xRig.Reply version = new Se05xRig(select: false).Send(Select + "00");
        Assert.Equal((0x9000, "0301006FFF010B"), (version.Sw, version.Hex));
    }

    // se05x_APDU_impl.h Se05x_API_WriteECKey (3.x) / _Ver (7.x): 80 01 61 00 (pair), TAG_1 id, TAG_2 curve 03,
    // TAG_3 private key, TAG_4 public key, then the version's tags.
    private static string WriteEcPair(string id, string extra)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters p = ec.ExportParameters(includePrivateParameters: true);
        return Short("80016100", "4104" + id + "420103" + "4320" + Hex.Of(p.D!) + "4441" + "04" + Hex.Of(p.Q.X!) + Hex.Of(p.Q.Y!) + extra);
    }

    // A short case 3 APDU as se05x_tlv.c builds one when the payload is below FF and no answer data is expected.
    private static string Short(string header, string data) => header + (data.Length / 2).ToString("X2") + data;
}
