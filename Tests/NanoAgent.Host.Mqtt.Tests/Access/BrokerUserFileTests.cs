using CsCheck;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Mqtt.Tests.Access;

/// <summary>The broker users file: <c>name role scope hash</c> a line.</summary>
public class BrokerUserFileTests
{
    private static readonly string Hash = MosquittoPasswordHash.Create("pw", iterations: 2);

    [Fact]
    public void Parse_AllRolesCommentsAndCertificateOnlyUser()
    {
        IReadOnlyList<BrokerUser> users = BrokerUserFile.Parse(
            $"# comment\n\ndev1 agent dev1 {Hash}\nacme-be tenant acme {Hash} # trailing\nown owner owner -\r\nfield provision * {Hash}\n");

        Assert.Equal(["dev1", "acme-be", "own", "field"], users.Select(u => u.Name));
        Assert.Equal([BrokerRole.Agent, BrokerRole.Tenant, BrokerRole.Owner, BrokerRole.Provision], users.Select(u => u.Role));
        Assert.Equal(["dev1", "acme", "owner", "*"], users.Select(u => u.Scope));
        Assert.Null(users[2].PasswordHash);
        Assert.Equal(Hash, users[0].PasswordHash);
    }

    [Theory]
    [InlineData("dev1 agent dev1", "line 1 is not 'name role scope hash'")]
    [InlineData("dev1 agent dev1 - extra", "line 1 is not")]
    [InlineData("dev1 admin dev1 -", "role 'admin' is not agent, tenant, owner or provision")]
    [InlineData("de/v1 agent dev1 -", "user name 'de/v1'")]
    [InlineData("a agent dev+ -", "device id 'dev+'")]
    [InlineData("a agent * -", "device id '*'")]
    [InlineData("a tenant acme/+ -", "tenant id 'acme/+'")]
    [InlineData("a tenant 123456789012345678901234567890123 -", "tenant id")]
    [InlineData("a agent dev1 -\na tenant acme -", "line 2: user 'a' is listed twice")]
    [InlineData("a agent dev1 correct-horse", "neither '-' nor a $7$ hash")]
    public void Parse_BadLine_FormatExceptionNamesLineAndCause(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => BrokerUserFile.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("correct-horse", e.Message);
    }

    [Fact]
    public void Load_FileReadableByOthers_RefusedWithChmodAdvice()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, $"dev1 agent dev1 {Hash}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.Contains("chmod 600", Assert.Throws<FormatException>(() => BrokerUserFile.Load(path)).Message);

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Single(BrokerUserFile.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Property_FormatThenParse_SameUsers()
    {
        Gen<string> ident = Gen.Char["a-zA-Z0-9._-"].Array[1, 20].Select(c => new string(c));
        Gen<BrokerUser> user = Gen.Select(ident, Gen.Enum<BrokerRole>(), ident, Gen.Bool)
            .Select((name, role, scope, certOnly) => new BrokerUser(name, role, scope, certOnly ? null : Hash));
        user.Array[1, 6].Sample(users =>
        {
            users = users.DistinctBy(u => u.Name).ToArray();
            IReadOnlyList<BrokerUser> parsed = BrokerUserFile.Parse(string.Join('\n', users.Select(BrokerUserFile.Format)));
            return parsed.Select(BrokerUserFile.Format).SequenceEqual(users.Select(BrokerUserFile.Format));
        });
    }

    [Fact]
    public void Property_AnyText_ParsesOrFormatException()
    {
        Gen.OneOf(Gen.String, Gen.Char["a-z */+#$7\n-"].Array[0, 60].Select(c => new string(c))).Sample(text =>
        {
            try
            {
                BrokerUserFile.Parse(text);
            }
            catch (FormatException)
            {
            }
        });
    }
}
