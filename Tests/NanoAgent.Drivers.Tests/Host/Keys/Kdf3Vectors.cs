namespace NanoAgent.Drivers.Tests.Host.Keys;

/// <summary>
/// KDF3 test vectors (docs/keys.md). The ENC key of the AES-256 master is GlobalPlatformPro's published one
/// (library/src/test/java/pro/javacard/gp/TestSCP03.java, testKDF3); the others were computed with BouncyCastle's
/// KdfCounterBytesGenerator (CMAC-AES, 8-bit counter before the fixed input) and are re-checked against it in the tests.
/// </summary>
public static class Kdf3Vectors
{
    public const string GppMaster = "8C72C72CF908411653018807950D82FBAD947562F0828A0B10B8B9606ABF3BCD";
    public const string GppKdd = "D9B1DE5D0362DEDCE4FB";
    public const string GppEnc = "9AAC5D0B3601F89438A0D9D0B6B256CFB47E6462DFA5228D3420C4AC7C224781";
    public const string GppMac = "8C6D4ADE2AADE2BDF66EF24537F7AF9806C71A5CF0269CDA323B54BD4C6EBA99";
    public const string GppDek = "0DFB0D477168F625F751767F35C4BF73697D40A5F41D625432DE8A7D607778BF";

    public const string LabMaster = "404142434445464748494A4B4C4D4E4F";
    public const string LabKdd = "00010203040506070809";
    public const string LabEnc = "808BC985A1069AD2A9AC94E0FE7B8843";
    public const string LabMac = "65942E0BF4F3F32AEFACBA5671456275";
    public const string LabDek = "6A74F6F6040CCA10D8A3FDC7914FD7CC";
}
