namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// Why the secure channel layer refused an operation or closed a session.
    /// </summary>
    public enum SecureChannelError
    {
        /// <summary>The operation is not allowed in the session's current state.</summary>
        InvalidState = 1,

        /// <summary>A key has a length other than 16, 24 or 32 bytes, or the three static keys differ in length.</summary>
        InvalidKey = 2,

        /// <summary>An argument is out of range (challenge length, sequence counter, AID length).</summary>
        InvalidArgument = 3,

        /// <summary>A caller's buffer is too small for the result.</summary>
        BufferTooSmall = 4,

        /// <summary>The command to wrap is not a well-formed short command APDU.</summary>
        InvalidCommand = 5,

        /// <summary>The wrapped command would not fit a short APDU (Lc above 255).</summary>
        CommandTooLong = 6,

        /// <summary>The card answered INITIALIZE UPDATE with a status word other than 9000.</summary>
        InitializeUpdateRejected = 7,

        /// <summary>The INITIALIZE UPDATE response has the wrong length or layout.</summary>
        InvalidInitializeUpdateResponse = 8,

        /// <summary>The card reported a protocol other than SCP03, or an i parameter this session cannot use.</summary>
        UnsupportedProtocol = 9,

        /// <summary>The card used a key version other than the one requested.</summary>
        KeyVersionMismatch = 10,

        /// <summary>The card cryptogram does not match the one computed from the static keys: wrong keys or a forged card.</summary>
        CardCryptogramMismatch = 11,

        /// <summary>The card challenge does not match the one computed from the sequence counter and AID.</summary>
        CardChallengeMismatch = 12,

        /// <summary>The card answered EXTERNAL AUTHENTICATE with a status word other than 9000.</summary>
        ExternalAuthenticateRejected = 13,

        /// <summary>The security level is not one Amd D allows, or the card's i parameter does not support it.</summary>
        InvalidSecurityLevel = 14,

        /// <summary>The response is shorter than its status word and R-MAC.</summary>
        ResponseTooShort = 15,

        /// <summary>The R-MAC of a response does not verify.</summary>
        ResponseMacMismatch = 16,

        /// <summary>The response is malformed: data with an error status word, or encrypted data not a whole number of blocks.</summary>
        InvalidResponse = 17,

        /// <summary>Decrypted response data does not end in valid 80 00.. padding.</summary>
        InvalidPadding = 18,
    }
}
