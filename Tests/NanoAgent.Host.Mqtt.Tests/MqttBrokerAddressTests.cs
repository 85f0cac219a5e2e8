using CsCheck;

namespace NanoAgent.Host.Mqtt.Tests;

public class MqttBrokerAddressTests
{
    [Theory]
    [InlineData("mqtt://127.0.0.1:1883", "127.0.0.1", 1883, false)]
    [InlineData("mqtt://broker.lan", "broker.lan", 1883, false)]
    [InlineData("mqtts://broker.lan", "broker.lan", 8883, true)]
    [InlineData("MQTTS://broker.lan:443/", "broker.lan", 443, true)]
    [InlineData("localhost:1884", "localhost", 1884, false)]
    [InlineData("localhost", "localhost", 1883, false)]
    [InlineData("mqtt://[::1]:1883", "::1", 1883, false)]
    [InlineData("mqtts://[fe80::1]", "fe80::1", 8883, true)]
    public void Parse_ValidAddresses(string text, string host, int port, bool tls)
    {
        MqttBrokerAddress address = MqttBrokerAddress.Parse(text);

        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(tls, address.UseTls);
        Assert.Equal(address.ToString(), MqttBrokerAddress.Parse(address.ToString()).ToString());
    }

    [Theory]
    [InlineData("", "missing or invalid host")]
    [InlineData("http://x:1", "unknown scheme 'http'")]
    [InlineData("mqtt://x:0", "port '0'")]
    [InlineData("mqtt://x:65536", "port '65536'")]
    [InlineData("mqtt://x:-1", "port '-1'")]
    [InlineData("mqtt://x:abc", "port 'abc'")]
    [InlineData("mqtt://[::1", "unclosed '['")]
    [InlineData("mqtt://user@x", "missing or invalid host")]
    [InlineData("mqtt://a:b:1", "missing or invalid host")]
    public void Parse_Invalid_FormatExceptionSaysWhy(string text, string why)
    {
        var error = Assert.Throws<FormatException>(() => MqttBrokerAddress.Parse(text));

        Assert.Contains(why, error.Message);
        Assert.False(MqttBrokerAddress.TryParse(text, out _));
    }

    [Fact]
    public void Parse_RandomText_OnlyFormatException()
    {
        Gen.String.Sample(text =>
        {
            try
            {
                MqttBrokerAddress address = MqttBrokerAddress.Parse(text);
                Assert.InRange(address.Port, 1, 65535);
                Assert.NotEmpty(address.Host);
            }
            catch (FormatException)
            {
            }
        }, iter: 2000);
    }

    [Fact]
    public void Parse_RandomHostAndPort_RoundTrips()
    {
        Gen.Select(Gen.Char["a-z0-9.-"].Array[1, 30], Gen.Int[1, 65535], Gen.Bool).Sample((host, port, tls) =>
        {
            var address = new MqttBrokerAddress(new string(host), port, tls);
            MqttBrokerAddress parsed = MqttBrokerAddress.Parse(address.ToString());
            Assert.Equal((address.Host, address.Port, address.UseTls), (parsed.Host, parsed.Port, parsed.UseTls));
        }, iter: 2000);
    }
}
