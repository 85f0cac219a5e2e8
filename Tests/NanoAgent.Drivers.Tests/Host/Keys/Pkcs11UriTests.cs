using System.Text;
using CsCheck;
using NanoAgent.Drivers.Host.Keys;

namespace NanoAgent.Drivers.Tests.Host.Keys;

public class Pkcs11UriTests
{
    private static readonly string[] TextPathNames =
        ["token", "manufacturer", "serial", "model", "library-manufacturer", "library-description", "object", "slot-description", "slot-manufacturer"];

    [Fact]
    public void Parse_Rfc7512Example_DecodesEveryAttribute()
    {
        // RFC 7512 §6, the example with most attributes.
        Pkcs11Uri uri = Pkcs11Uri.Parse("pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;" +
            "object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=?pin-source=file:/etc/token_pin");

        Assert.Equal("The Software PKCS#11 Softtoken", uri.Token);
        Assert.Equal("Snake Oil, Inc.", uri.Manufacturer);
        Assert.Equal("1.0", uri.Model);
        Assert.Equal("my-certificate", uri.Object);
        Assert.Equal("cert", uri.Type);
        Assert.Equal("69953E5CF4BDEC91", Hex.Of(uri.Id!));
        Assert.Equal(string.Empty, uri.Serial);
        Assert.Equal("file:/etc/token_pin", uri.PinSource);
        Assert.Null(uri.ModulePath);
    }

    [Theory]
    [InlineData("pkcs11:", 0, 0)]
    [InlineData("pkcs11:object=my-pubkey;type=public", 2, 0)]
    [InlineData("pkcs11:object=my-sign-key;type=private?module-path=/mnt/libmypkcs11.so.1", 2, 1)]
    [InlineData("pkcs11:object=my-sign-key;type=private?module-name=mypkcs11", 2, 1)]
    [InlineData("pkcs11:token=Software%20PKCS%2311%20softtoken;manufacturer=Snake%20Oil,%20Inc.?pin-value=the-pin", 2, 1)]
    [InlineData("pkcs11:slot-description=Sun%20Metaslot", 1, 0)]
    [InlineData("pkcs11:library-manufacturer=Snake%20Oil,%20Inc.;library-description=Soft%20Token%20Library;library-version=1.23", 3, 0)]
    [InlineData("PKCS11:token=upper-case-scheme;slot-id=4294967296", 2, 0)]
    public void Parse_Rfc7512Examples_Accepted(string text, int path, int query)
    {
        Pkcs11Uri uri = Pkcs11Uri.Parse(text);

        Assert.Equal((path, query), (uri.PathAttributes.Count, uri.QueryAttributes.Count));
    }

    [Theory]
    [InlineData("pkcs11:token=A%20name%20with%20a%20substring%20%25%3B;object=my-certificate;type=cert", "A name with a substring %;")]
    [InlineData("pkcs11:token=Name%20with%20a%20small%20A%20with%20acute:%20%C3%A1;object=my-certificate;type=cert", "Name with a small A with acute: á")]
    [InlineData("pkcs11:token=a&b=c", "a&b=c")]
    public void Parse_EncodedAndReservedCharacters_Decoded(string text, string token)
    {
        Assert.Equal(token, Pkcs11Uri.Parse(text).Token);
    }

    [Theory]
    [InlineData("file:/x", "not start with 'pkcs11:'")]
    [InlineData("pkcs11:token=a;token=b", "'token' is given twice")]
    [InlineData("pkcs11:token=%zz", "'%' not followed by two hex digits")]
    [InlineData("pkcs11:token=%4", "'%' not followed by two hex digits")]
    [InlineData("pkcs11:token=a b", "must be percent-encoded")]
    [InlineData("pkcs11:token=a/b", "'/', which must be percent-encoded")]
    [InlineData("pkcs11:token=a?pin-source=/a;b", "';', which must be percent-encoded")]
    [InlineData("pkcs11:token=a;", "an empty attribute in the path")]
    [InlineData("pkcs11:token", "not name=value")]
    [InlineData("pkcs11:=a", "not name=value")]
    [InlineData("pkcs11:pin-source=file:/p", "belongs in the query")]
    [InlineData("pkcs11:?token=a", "belongs in the path")]
    [InlineData("pkcs11:token=my-token;vendor-aaa=value-a", "'vendor-aaa' is not a path attribute nanoAgent knows")]
    [InlineData("pkcs11:?pin-sorce=file:/p", "'pin-sorce' is not a query attribute")]
    [InlineData("pkcs11:type=key", "'type' is one of")]
    [InlineData("pkcs11:slot-id=1x", "'slot-id' is a decimal number")]
    [InlineData("pkcs11:slot-id=18446744073709551616", "'slot-id' is a decimal number")]
    [InlineData("pkcs11:library-version=1.2.3", "'library-version' is M or M.N")]
    [InlineData("pkcs11:token=%FF", "not UTF-8 text")]
    [InlineData("pkcs11:tok%65n=a", "attribute name")]
    [InlineData("pkcs11:?pin-source=file:/p&pin-value=1234", "either 'pin-source' or 'pin-value'")]
    public void Parse_BadUri_RefusedWithTheReason(string text, string why)
    {
        var e = Assert.Throws<Pkcs11UriException>(() => Pkcs11Uri.Parse(text));

        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Parse_TooLong_Refused()
    {
        Assert.Throws<Pkcs11UriException>(() => Pkcs11Uri.Parse("pkcs11:token=" + new string('a', Pkcs11Uri.MaxLength)));
    }

    [Fact]
    public void Parse_AnyAttributesEncodedByteByByte_GivesThemBack()
    {
        // The test's own encoder: every byte but letters and digits as %XX, so the parser's decoding is checked independently.
        static string Encode(byte[] value) => string.Concat(value.Select(b => char.IsAsciiLetterOrDigit((char)b) ? ((char)b).ToString() : $"%{b:X2}"));
        Gen<string> text = Gen.String.Where(s => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)) == s); // no lone surrogates
        var attributes = Gen.Select(Gen.Shuffle(TextPathNames, 0, TextPathNames.Length), text.Array[TextPathNames.Length], Gen.Byte.Array[0, 20], text);
        attributes.Sample((names, values, id, pin) =>
        {
            var path = names.Select((n, i) => (n, values[i])).ToList();
            string uriText = "pkcs11:" + string.Join(";", path.Select(a => a.n + "=" + Encode(Encoding.UTF8.GetBytes(a.Item2))).Append("id=" + Encode(id)))
                + "?module-path=" + Encode(Encoding.UTF8.GetBytes("/usr/lib/x.so")) + "&pin-value=" + Encode(Encoding.UTF8.GetBytes(pin));

            Pkcs11Uri uri = Pkcs11Uri.Parse(uriText);

            foreach ((string name, string value) in path)
            {
                Assert.Equal(value, Encoding.UTF8.GetString(uri.PathAttributes[name]));
            }

            Assert.Equal(Hex.Of(id), Hex.Of(uri.Id!));
            Assert.Equal(("/usr/lib/x.so", pin), (uri.ModulePath, uri.PinValue));

            // Written back (without the PIN) and parsed again: the same attributes.
            Pkcs11Uri again = Pkcs11Uri.Parse(uri.ToString());
            Assert.Equal(uri.PathAttributes.Select(a => (a.Key, Hex.Of(a.Value))), again.PathAttributes.Select(a => (a.Key, Hex.Of(a.Value))));
            Assert.Equal(("/usr/lib/x.so", (string?)null), (again.ModulePath, again.PinValue));
        }, iter: 300);
    }

    [Fact]
    public void Parse_AnyText_ParsesOrSaysWhy()
    {
        var chars = Gen.Char["abcz09;?&=%/:-_.~ \u00e1\u0000"].Array[0, 40].Select(c => new string(c));
        Gen.OneOf(chars, Gen.String).Sample(tail =>
        {
            try
            {
                Pkcs11Uri uri = Pkcs11Uri.Parse("pkcs11:" + tail);
                Assert.NotNull(Pkcs11Uri.Parse(uri.ToString()));
            }
            catch (Pkcs11UriException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.DoesNotContain('\n', e.Message);
            }
        }, iter: 2000);
    }

    [Fact]
    public void Parse_PinValue_NeverInMessagesOrToString()
    {
        Gen.Select(Gen.Int[0, 4], Gen.String[1, 12].Where(s => s.All(char.IsAsciiLetterOrDigit))).Sample((bad, secret) =>
        {
            string pin = "PIN" + secret;
            string[] paths = ["token=a;token=b", "token=a b", "type=key", "tok=a", "token=%G1"];
            try
            {
                Pkcs11Uri uri = Pkcs11Uri.Parse($"pkcs11:{paths[bad]}?pin-value={pin}");
                Assert.DoesNotContain(pin, uri.ToString(), StringComparison.Ordinal);
            }
            catch (Pkcs11UriException e)
            {
                Assert.DoesNotContain(pin, e.Message, StringComparison.Ordinal);
            }

            Pkcs11Uri good = Pkcs11Uri.Parse($"pkcs11:token=t?pin-value={pin}&module-path=/m.so");
            Assert.Equal(pin, good.PinValue);
            Assert.DoesNotContain(pin, good.ToString(), StringComparison.Ordinal);
        });
    }
}
