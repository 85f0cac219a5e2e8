using CsCheck;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using Pkcs11Uri = NanoAgent.Drivers.Host.Keys.Pkcs11Uri;

namespace NanoAgent.Drivers.Tests.Host.Keys;

/// <summary>The master key in a real SoftHSM2 token (Debian's softhsm2, a token made by softhsm2-util in a temporary directory).</summary>
[Collection(SoftHsmCollection.Name)]
public class Pkcs11MasterKeySourceTests
{
    private readonly SoftHsmToken _token;

    public Pkcs11MasterKeySourceTests(SoftHsmToken token)
    {
        _token = token;
        Import("gpp", Kdf3Vectors.GppMaster);
        Import("lab", Kdf3Vectors.LabMaster);
    }

    [Theory]
    [InlineData("gpp", Kdf3Vectors.GppKdd, Kdf3Vectors.GppEnc, Kdf3Vectors.GppMac, Kdf3Vectors.GppDek)]
    [InlineData("lab", Kdf3Vectors.LabKdd, Kdf3Vectors.LabEnc, Kdf3Vectors.LabMac, Kdf3Vectors.LabDek)]
    public void KeysFor_InsideTheToken_GivesTheVectorKeys(string label, string kdd, string enc, string mac, string dek)
    {
        using Pkcs11MasterKeySource source = Open(label);

        Scp03StaticKeys keys = source.KeysFor(0x31, Hex.Parse(kdd));

        Assert.Equal((0x31, enc, mac, dek), (keys.KeyVersion, Hex.Of(keys.Enc), Hex.Of(keys.Mac), Hex.Of(keys.Dek)));
        Assert.Contains("derived inside the token", source.Description, StringComparison.Ordinal);
        Assert.Contains($"'{label}'", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Description_TokenCheckValue_SameAsTheKeyFilesForTheSameKey()
    {
        using Pkcs11MasterKeySource gpp = Open("gpp");
        using var file = new FileMasterKeySource(Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x31, Hex.Parse(Kdf3Vectors.GppMaster)), "gpp.keys");

        Assert.Equal("2AE23A", file.TokenCheckValue); // AES-256-ECB of a zero block, first 3 bytes (openssl enc -aes-256-ecb -nopad)
        Assert.Contains("CKA_CHECK_VALUE 2AE23A", gpp.Description, StringComparison.Ordinal);
        Assert.Contains("CKA_CHECK_VALUE 2AE23A", file.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysFor_AnyDevice_TokenAndFileAgree()
    {
        using Pkcs11MasterKeySource gpp = Open("gpp"), lab = Open("lab");
        using var gppFile = new FileMasterKeySource(Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x31, Hex.Parse(Kdf3Vectors.GppMaster)), "gpp.keys");
        using var labFile = new FileMasterKeySource(Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x31, Hex.Parse(Kdf3Vectors.LabMaster)), "lab.keys");

        Gen.Byte.Array[10].Sample(kdd =>
        {
            Assert.Equal(Keys(gppFile.KeysFor(0x31, kdd)), Keys(gpp.KeysFor(0x31, kdd)));
            Assert.Equal(Keys(labFile.KeysFor(0x31, kdd)), Keys(lab.KeysFor(0x31, kdd)));
        }, iter: 100, threads: 1);
    }

    [Fact]
    public void KeysFor_ManyThreadsAtOnce_SameKeysAsTheFile()
    {
        using Pkcs11MasterKeySource source = Open("lab");
        using var file = new FileMasterKeySource(Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x31, Hex.Parse(Kdf3Vectors.LabMaster)), "lab.keys");
        byte[][] kdds = Enumerable.Range(0, 64).Select(i => Enumerable.Range(0, 10).Select(j => (byte)(i * 13 + j)).ToArray()).ToArray();

        var fromToken = new (string, string, string)[kdds.Length];
        Parallel.For(0, kdds.Length, i => fromToken[i] = Keys(source.KeysFor(0x31, kdds[i])));

        Assert.Equal(kdds.Select(k => Keys(file.KeysFor(0x31, k))), fromToken);
    }

    [Fact]
    public void MasterKey_InTheToken_IsSensitiveAndNeverExtractable()
    {
        Pkcs11Module module = Pkcs11Module.Acquire(SoftHsmToken.Module);
        try
        {
            ISlot slot = module.Library.GetSlotList(SlotsType.WithTokenPresent).Single(s => s.GetTokenInfo().Label == _token.Label);
            using ISession session = slot.OpenSession(SessionType.ReadOnly);
            module.Login(session, slot.SlotId, SoftHsmToken.Pin);
            var label = session.Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, "lab");
            IObjectHandle key = session.FindAllObjects([label]).Single();

            List<IObjectAttribute> values = session.GetAttributeValue(key, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_VALUE]);

            Assert.True(values[0].GetValueAsBool());
            Assert.False(values[1].GetValueAsBool());
            Assert.True(values[2].CannotBeRead); // C_GetAttributeValue(CKA_VALUE) answers CKR_ATTRIBUTE_SENSITIVE
            module.Close(session, slot.SlotId, loggedIn: true);
        }
        finally
        {
            module.Release();
        }
    }

    [Fact]
    public void Open_ExtractableKey_Refused()
    {
        CreateKey("loose", extractable: true, sign: true);

        var e = Assert.Throws<MasterKeyException>(() => Open("loose").Dispose());

        Assert.Equal(MasterKeyError.BadInput, e.Error);
        Assert.Contains("can leave the token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_KeyThatMayNotSign_Refused()
    {
        CreateKey("nosign", extractable: false, sign: false);

        var e = Assert.Throws<MasterKeyException>(() => Open("nosign").Dispose());

        Assert.Contains("may not sign (CKA_SIGN false)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WrongPin_OneLineBadInput()
    {
        AssertBad(() => Pkcs11MasterKeySource.Open(Pkcs11Uri.Parse(_token.Uri("lab")), "000000"), $"wrong PIN for token '{_token.Label}' (CKR_PIN_INCORRECT)");
    }

    [Fact]
    public void Open_WrongPinWhileAnotherSourceIsLoggedIn_StillRefused()
    {
        using Pkcs11MasterKeySource first = Open("lab");

        AssertBad(() => Pkcs11MasterKeySource.Open(Pkcs11Uri.Parse(_token.Uri("gpp")), "000000"), "wrong PIN");
        Assert.Equal(16, first.KeysFor(0x31, new byte[10]).KeyLength); // the first one's session is untouched
    }

    [Fact]
    public void Open_TwoSourcesOnOneToken_ClosingOneLeavesTheOther()
    {
        using Pkcs11MasterKeySource lab = Open("lab");
        Open("gpp").Dispose();

        Assert.Equal(Kdf3Vectors.LabEnc, Hex.Of(lab.KeysFor(0x31, Hex.Parse(Kdf3Vectors.LabKdd)).Enc));
    }

    [Fact]
    public void Open_MissingToken_OneLineBadInputListingTheTokens()
    {
        AssertBad(() => Pkcs11MasterKeySource.Open(Pkcs11Uri.Parse(_token.Uri("lab", token: "no-such-token")), SoftHsmToken.Pin),
            $"no PKCS #11 token labelled 'no-such-token' in module '{SoftHsmToken.Module}' (tokens there: '{_token.Label}')");
    }

    [Fact]
    public void Open_MissingKeyLabel_OneLineBadInput()
    {
        AssertBad(() => Open("no-such-key"), $"no secret key 'no-such-key' in token '{_token.Label}'");
    }

    [Fact]
    public void Open_MissingModule_OneLineBadInput()
    {
        AssertBad(() => Pkcs11MasterKeySource.Open(Pkcs11Uri.Parse(_token.Uri("lab", module: "/usr/lib/no-such-pkcs11.so")), SoftHsmToken.Pin),
            "PKCS #11 module '/usr/lib/no-such-pkcs11.so' not found");
    }

    [Fact]
    public void Open_FileThatIsNotAModule_OneLineBadInput()
    {
        string notModule = Path.Combine(_token.Dir, "not-a-module.so");
        File.WriteAllText(notModule, "plain text");

        AssertBad(() => Pkcs11MasterKeySource.Open(Pkcs11Uri.Parse(_token.Uri("lab", module: notModule)), SoftHsmToken.Pin),
            "cannot be loaded as a PKCS #11 module");
    }

    [Theory]
    [InlineData("pkcs11:token=t;object=k", "the URI names no module")]
    [InlineData("pkcs11:token=t;object=k?module-name=softhsm2", "module-name is not supported")]
    [InlineData("pkcs11:token=t?module-path=/usr/lib/softhsm/libsofthsm2.so", "the URI names no key")]
    [InlineData("pkcs11:token=t;object=k;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so", "not type=private")]
    [InlineData("pkcs11:token=t;object=k?module-path=softhsm2.so", "not an absolute path")]
    public void Open_UriMissingWhatItNeeds_OneLineBadInput(string uri, string why)
    {
        AssertBad(() => Pkcs11MasterKeySource.Open(Pkcs11Uri.Parse(uri), SoftHsmToken.Pin), why);
    }

    private static (string, string, string) Keys(Scp03StaticKeys keys) => (Hex.Of(keys.Enc), Hex.Of(keys.Mac), Hex.Of(keys.Dek));

    private static void AssertBad(Func<Pkcs11MasterKeySource> open, string message)
    {
        var e = Assert.Throws<MasterKeyException>(() => open().Dispose());
        Assert.Equal(MasterKeyError.BadInput, e.Error);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain(SoftHsmToken.Pin, e.Message, StringComparison.Ordinal);
    }

    private Pkcs11MasterKeySource Open(string label) => Pkcs11MasterKeySource.Open(Pkcs11Uri.Parse(_token.Uri(label)), SoftHsmToken.Pin);

    private void Import(string label, string key)
    {
        if (!HasKey(label))
        {
            _token.ImportAes(label, Hex.Parse(key));
        }
    }

    private bool HasKey(string label) => WithSession(SessionType.ReadOnly, s => s.FindAllObjects([s.Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label)]).Count > 0);

    private void CreateKey(string label, bool extractable, bool sign)
    {
        if (HasKey(label))
        {
            return;
        }

        WithSession(SessionType.ReadWrite, s =>
        {
            var a = s.Factories.ObjectAttributeFactory;
            return s.CreateObject(
            [
                a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), a.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES), a.Create(CKA.CKA_TOKEN, true),
                a.Create(CKA.CKA_PRIVATE, true), a.Create(CKA.CKA_LABEL, label), a.Create(CKA.CKA_VALUE, new byte[16]),
                a.Create(CKA.CKA_SENSITIVE, true), a.Create(CKA.CKA_EXTRACTABLE, extractable), a.Create(CKA.CKA_SIGN, sign),
            ]);
        });
    }

    private T WithSession<T>(SessionType type, Func<ISession, T> use)
    {
        Pkcs11Module module = Pkcs11Module.Acquire(SoftHsmToken.Module);
        try
        {
            ISlot slot = module.Library.GetSlotList(SlotsType.WithTokenPresent).Single(s => s.GetTokenInfo().Label == _token.Label);
            ISession session = slot.OpenSession(type);
            module.Login(session, slot.SlotId, SoftHsmToken.Pin);
            try
            {
                return use(session);
            }
            finally
            {
                module.Close(session, slot.SlotId, loggedIn: true);
            }
        }
        finally
        {
            module.Release();
        }
    }
}
