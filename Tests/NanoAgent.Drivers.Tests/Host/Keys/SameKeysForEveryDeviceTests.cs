using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using Xunit;

namespace NanoAgent.Drivers.Tests.Host.Keys;

public class SameKeysForEveryDeviceTests
{
    private static readonly Scp03StaticKeys Keys =
        Scp03StaticKeys.FromSingleKey(new BouncyCastleAesFactory(), 0x31, Hex.Parse("404142434445464748494A4B4C4D4E4F"));

    [Fact]
    public void KeysFor_AnyDevice_ReturnsTheOneKeySet()
    {
        using var source = new SameKeysForEveryDevice(Keys, "acme.keys");

        Assert.Same(Keys, source.KeysFor(0x31, new byte[10]));
        Assert.Same(Keys, source.KeysFor(0x31, Hex.Parse("00112233445566778899")));
    }

    [Fact]
    public void KeysFor_OtherKeyVersionOrShortData_IsABug()
    {
        using var source = new SameKeysForEveryDevice(Keys, "acme.keys");

        Assert.Throws<ArgumentException>(() => source.KeysFor(0x32, new byte[10]));
        Assert.Throws<ArgumentException>(() => source.KeysFor(0x31, new byte[8]));
    }

    [Fact]
    public void Description_NamesTheFileAndCheckValuesButNoKey()
    {
        using var source = new SameKeysForEveryDevice(Keys, "acme.keys");

        Assert.Contains("acme.keys", source.Description, StringComparison.Ordinal);
        Assert.Contains("no diversification", source.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("404142", source.Description, StringComparison.OrdinalIgnoreCase);
    }
}
