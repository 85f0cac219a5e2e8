using CsCheck;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Mqtt.Tests.Access;

/// <summary>mosquitto's $7$ PBKDF2-SHA512 password hashes.</summary>
public class MosquittoPasswordHashTests
{
    // Made by mosquitto_passwd 2.0.11 (`mosquitto_passwd -b pw alice secret`); checked independently with Python's
    // hashlib.pbkdf2_hmac('sha512', b'secret', salt, 101).
    private const string MosquittoMade = "$7$101$J/1lxreZluiBBQXH$dGv671g9la2jpV5NWHKoUaVtvsNxsFksaWh1vqDMM+u2uiGgZWgpA9Fl2sx4qqbNvIzZrBEbyW8ZJRFrvtn7VA==";

    [Fact]
    public void Verify_HashMadeByMosquittoPasswd_AcceptsItsPasswordOnly()
    {
        Assert.True(MosquittoPasswordHash.Verify(MosquittoMade, "secret"));
        Assert.False(MosquittoPasswordHash.Verify(MosquittoMade, "Secret"));
        Assert.False(MosquittoPasswordHash.Verify(MosquittoMade, ""));
        Assert.False(MosquittoPasswordHash.Verify(MosquittoMade, null));
    }

    [Fact]
    public void Create_Format_SeventhSchemeDefaultIterationsTwelveByteSalt()
    {
        string[] parts = MosquittoPasswordHash.Create("pw").Split('$');
        Assert.Equal(["", "7", "101"], parts[..3]);
        Assert.Equal(12, Convert.FromBase64String(parts[3]).Length);
        Assert.Equal(64, Convert.FromBase64String(parts[4]).Length);
    }

    [Fact]
    public void Create_SamePasswordTwice_DifferentSalts() =>
        Assert.NotEqual(MosquittoPasswordHash.Create("pw"), MosquittoPasswordHash.Create("pw"));

    [Theory]
    [InlineData("")]
    [InlineData("secret")]
    [InlineData("$6$abc$def")]
    [InlineData("$7$0$J/1lxreZluiBBQXH$dGv6")]
    [InlineData("$7$101$not base64$dGv671g9la2jpV5NWHKoUaVtvsNxsFksaWh1vqDMM+u2uiGgZWgpA9Fl2sx4qqbNvIzZrBEbyW8ZJRFrvtn7VA==")]
    [InlineData("$7$101$J/1lxreZluiBBQXH$dGv671g9la2jpV5N")]
    public void Verify_MalformedHash_FalseNotThrow(string hash)
    {
        Assert.False(MosquittoPasswordHash.IsWellFormed(hash));
        Assert.False(MosquittoPasswordHash.Verify(hash, "secret"));
    }

    [Fact]
    public void Property_CreatedHashVerifiesItsPasswordAndNoOther()
    {
        Gen<string> text = Gen.Char["a-zA-Z0-9 !é"].Array[0, 12].Select(c => new string(c));
        Gen.Select(text, text).Sample((password, other) =>
        {
            string hash = MosquittoPasswordHash.Create(password, iterations: 2);
            return MosquittoPasswordHash.IsWellFormed(hash) && MosquittoPasswordHash.Verify(hash, password)
                && MosquittoPasswordHash.Verify(hash, other) == (other == password);
        }, iter: 200);
    }

    [Fact]
    public void Property_AnyTextIsEitherWellFormedOrRefusedWithoutThrowing()
    {
        Gen.String.Sample(text => MosquittoPasswordHash.IsWellFormed("$7$" + text) || !MosquittoPasswordHash.Verify("$7$" + text, "x"));
    }
}
