namespace NanoAgent.Host.Tests;

/// <summary>The one hex helper the tests use: spaces are ignored, output is upper case without separators.</summary>
public static class Hex
{
    public static byte[] Parse(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty));

    public static string Of(byte[] data) => Convert.ToHexString(data);

    public static string Of(byte[] data, int offset, int count) => Convert.ToHexString(data, offset, count);
}
