using CsCheck;
using NanoAgent.Drivers.Gp;

namespace NanoAgent.Drivers.Tests.Gp;

/// <summary>Byte layouts of the GP command builders against GPC v2.3.1 chapter 11.</summary>
public sealed class GpCommandsTests
{
    private readonly byte[] _apdu = new byte[300];

    [Fact]
    public void Select_ByAid_MatchesIso7816Layout()
    {
        // ISO/IEC 7816-4 SELECT by DF name, GPC §11.9.2: 00 A4 04 00 Lc AID Le.
        int n = GpSelect.Build(Hex.Parse("A000000151000000"), 0, 8, _apdu, 0);
        Assert.Equal("00A4040008A00000015100000000", Hex.Of(_apdu, 0, n));
    }

    [Fact]
    public void Delete_AidAndKeySet_MatchSpecLayouts()
    {
        // GPC §11.2.2: '4F' AID, P2 '80' delete related; §11.2.2.3 'D2' key version number.
        int n = GpDelete.BuildAid(Hex.Parse("A0000001515350410A"), 0, 9, true, _apdu, 0);
        Assert.Equal("80E400800B4F09A0000001515350410A00", Hex.Of(_apdu, 0, n));
        n = GpDelete.BuildKeySet(0x31, _apdu, 0);
        Assert.Equal("80E4000003D2013100", Hex.Of(_apdu, 0, n));
    }

    [Fact]
    public void Install_ForInstallAndMakeSelectable_MatchesSpecLayout()
    {
        // GPC §11.5.2.3.2: LV ELF, LV module, LV instance, LV privileges, LV ('C9' L params), LV token (empty), Le.
        int n = GpInstall.BuildForInstallAndMakeSelectable(
            Hex.Parse("F06E616E6F01"), Hex.Parse("F06E616E6F0101"), Hex.Parse("F06E616E6F0101A1"),
            [0x80, 0x40, 0x00], [0x01], _apdu, 0);
        Assert.Equal(
            "80E60C0021" + "06F06E616E6F01" + "07F06E616E6F0101" + "08F06E616E6F0101A1" + "03804000" + "03C90101" + "00" + "00",
            Hex.Of(_apdu, 0, n));
    }

    [Fact]
    public void Install_ForPersonalization_MatchesSpecLayout()
    {
        // GPC §11.5.2.3.4: only the application AID is present.
        int n = GpInstall.BuildForPersonalization(Hex.Parse("A0000001515350410A"), 0, 9, _apdu, 0);
        Assert.Equal("80E620000F" + "0000" + "09A0000001515350410A" + "000000" + "00", Hex.Of(_apdu, 0, n));
    }

    [Fact]
    public void StoreData_SetStatus_GetStatus_GetData_MatchSpecLayouts()
    {
        byte[] tlv = Hex.Parse("DF2003414243");
        Assert.Equal("80E2900006DF2003414243", Hex.Of(_apdu, 0, GpStoreData.Build(0x90, 0, tlv, 0, 6, _apdu, 0)));
        Assert.Equal("80F0807F", Hex.Of(_apdu, 0, GpSetStatus.BuildCard(0x7F, _apdu, 0)));
        Assert.Equal("80F0408005F06E616E6F", Hex.Of(_apdu, 0, GpSetStatus.BuildEntry(0x40, 0x80, Hex.Parse("F06E616E6F"), 0, 5, _apdu, 0)));
        Assert.Equal("80F24002024F0000", Hex.Of(_apdu, 0, GpGetStatus.Build(0x40, false, [], 0, 0, _apdu, 0)));
        Assert.Equal("80CA9F7F00", Hex.Of(_apdu, 0, GpGetData.Build(0x9F7F, _apdu, 0)));
    }

    [Fact]
    public void PutKey_AesKeySet_LayoutAndKcvs()
    {
        // Amd D §7.2 / GPC §11.8.2.3: KVN, then per key '88' 11 10 <16 encrypted> 03 <KCV>.
        var keys = NanoAgent.Drivers.Scp03.Scp03StaticKeys.FromSingleKey(
            NanoAgent.Drivers.Host.Crypto.BouncyCastleAesFactory.Instance, 0x30, Hex.Parse("404142434445464748494A4B4C4D4E4F"));
        int n = GpPutKey.Build(keys, keys, 0x00, _apdu, 0);
        Assert.Equal(5 + 1 + 3 * 23 + 1, n);
        Assert.Equal("80D8008146", Hex.Of(_apdu, 0, 5));
        Assert.Equal("30881110", Hex.Of(_apdu, 5, 4));
        byte[] kcvs = new byte[9];
        keys.GetCheckValues(kcvs, 0);
        Assert.Equal("03" + Hex.Of(kcvs, 0, 3), Hex.Of(_apdu, 5 + 1 + 19, 4));
        byte[] response = new byte[10];
        response[0] = 0x30;
        Array.Copy(kcvs, 0, response, 1, 9);
        Assert.True(GpPutKey.CheckResponse(keys, response, 0, 10));
        response[9] ^= 1;
        Assert.False(GpPutKey.CheckResponse(keys, response, 0, 10));
    }

    [Fact]
    public void StatusParser_ParsesTemplates()
    {
        // GPC §11.4.3.1 tag-list entries, as the virtual card answers them.
        byte[] data = Hex.Parse("E31B4F06D000000002AA9F700107C503000000CC08A000000151000000");
        var entries = new GpRegistryEntry[2];
        Assert.Equal(1, GpStatusParser.Parse(data, 0, data.Length, entries, 0));
        Assert.Equal("D000000002AA", Hex.Of(entries[0].Aid));
        Assert.Equal(0x07, entries[0].LifeCycle);
        Assert.Equal("A000000151000000", Hex.Of(entries[0].AssociatedSecurityDomain));
        Assert.False(entries[0].IsSecurityDomain);
    }

    [Fact]
    public void StatusParser_RandomInput_NeverThrows()
    {
        var entries = new GpRegistryEntry[4];
        Gen.Byte.Array[0, 300].Sample(bytes => GpStatusParser.Parse(bytes, 0, bytes.Length, entries, 0) >= -1, iter: 2000);
    }
}
