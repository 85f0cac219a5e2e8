using NanoAgent.Fleet.Store;

namespace NanoAgent.Fleet.Tests.Store;

public class PostgresUrlTests
{
    [Fact]
    public void Parse_FullUrl_FillsEveryPart()
    {
        var b = PostgresUrl.Parse("postgres://fleet:s%40cret@db.example:6543/campaigns?sslmode=require&application_name=w1");

        Assert.Equal("fleet", b.Username);
        Assert.Equal("s@cret", b.Password);
        Assert.Equal("db.example", b.Host);
        Assert.Equal(6543, b.Port);
        Assert.Equal("campaigns", b.Database);
        Assert.Equal(Npgsql.SslMode.Require, b.SslMode);
    }

    [Fact]
    public void Parse_SocketDirectoryInQuery_IsTheHost()
    {
        var b = PostgresUrl.Parse("postgresql://fleet@/fleet?host=/tmp/pg");
        Assert.Equal("/tmp/pg", b.Host);
        Assert.Equal(5432, b.Port);
    }

    [Theory]
    [InlineData("mysql://u@h/db")]
    [InlineData("postgres://u@h:5432/")]
    [InlineData("postgres://u@h/db?nonsense=1")]
    public void Parse_NotAUsableUrl_IsRefused(string url) => Assert.Throws<FormatException>(() => PostgresUrl.Parse(url));

    [Fact]
    public void IsPostgres_TellsUrlsAndConnectionStringsFromFiles()
    {
        Assert.True(FleetDatabase.IsPostgres("postgres://u@h/db"));
        Assert.True(FleetDatabase.IsPostgres("Host=10.0.0.1;Database=fleet;Username=u"));
        Assert.False(FleetDatabase.IsPostgres("/var/lib/nanoagent/fleet.db"));
        Assert.False(FleetDatabase.IsPostgres("fleet.db"));
    }
}
