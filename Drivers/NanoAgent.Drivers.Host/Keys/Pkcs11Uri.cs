using System.Globalization;
using System.Text;

namespace NanoAgent.Drivers.Host.Keys;

/// <summary>
/// A PKCS #11 URI (RFC 7512): <c>pkcs11:token=...;object=...;id=%01?module-path=...&amp;pin-source=file:...</c>. Path
/// attributes name the token and the object, query attributes the module and the PIN. Values are percent-decoded; <c>id</c>
/// is bytes, the others UTF-8 text. Parsing is strict: an attribute this class does not know (vendor attributes included:
/// a path attribute not understood must match nothing, RFC 7512 §2.3), a repeated one, a character §2.3 does not allow
/// unencoded, a bad percent escape or bad UTF-8 is refused with the reason.
/// </summary>
public sealed class Pkcs11Uri
{
    /// <summary>The scheme, with its colon.</summary>
    public const string Scheme = "pkcs11:";

    /// <summary>The longest URI accepted, in characters.</summary>
    public const int MaxLength = 4096;

    private static readonly string[] PathNames =
    [
        "token", "manufacturer", "serial", "model", "library-manufacturer", "library-description", "library-version",
        "object", "type", "id", "slot-description", "slot-manufacturer", "slot-id",
    ];

    private static readonly string[] QueryNames = ["pin-source", "pin-value", "module-name", "module-path"];

    private static readonly string[] Types = ["cert", "data", "private", "public", "secret-key"];

    // RFC 7512 §2.3: pk11-path-res-avail and pk11-query-res-avail (besides unreserved and pct-encoded).
    private const string PathSpecials = ":[]@!$'()*+,=&";
    private const string QuerySpecials = ":[]@!$'()*+,=/?|";

    private readonly Dictionary<string, byte[]> _path;
    private readonly Dictionary<string, string> _query;

    private Pkcs11Uri(Dictionary<string, byte[]> path, Dictionary<string, string> query)
    {
        _path = path;
        _query = query;
    }

    /// <summary>Gets the path attributes in the order given (values percent-decoded, as bytes).</summary>
    public IReadOnlyDictionary<string, byte[]> PathAttributes => _path;

    /// <summary>Gets the query attributes in the order given (values percent-decoded).</summary>
    public IReadOnlyDictionary<string, string> QueryAttributes => _query;

    /// <summary>Gets the token label, or null.</summary>
    public string? Token => Text("token");

    /// <summary>Gets the token manufacturer, or null.</summary>
    public string? Manufacturer => Text("manufacturer");

    /// <summary>Gets the token serial number, or null.</summary>
    public string? Serial => Text("serial");

    /// <summary>Gets the token model, or null.</summary>
    public string? Model => Text("model");

    /// <summary>Gets the object label (CKA_LABEL), or null.</summary>
    public string? Object => Text("object");

    /// <summary>Gets the object type (cert, data, private, public, secret-key), or null.</summary>
    public string? Type => Text("type");

    /// <summary>Gets the object id (CKA_ID), or null.</summary>
    public byte[]? Id => _path.TryGetValue("id", out byte[]? id) ? (byte[])id.Clone() : null;

    /// <summary>Gets the slot id, or null.</summary>
    public ulong? SlotId => Text("slot-id") is { } s ? ulong.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture) : null;

    /// <summary>Gets the slot description, or null.</summary>
    public string? SlotDescription => Text("slot-description");

    /// <summary>Gets the slot manufacturer, or null.</summary>
    public string? SlotManufacturer => Text("slot-manufacturer");

    /// <summary>Gets the library (module) manufacturer, or null.</summary>
    public string? LibraryManufacturer => Text("library-manufacturer");

    /// <summary>Gets the library (module) description, or null.</summary>
    public string? LibraryDescription => Text("library-description");

    /// <summary>Gets the library version ("M" or "M.N"), or null.</summary>
    public string? LibraryVersion => Text("library-version");

    /// <summary>Gets where the PIN is (a <c>file:</c> URI or an absolute path), or null.</summary>
    public string? PinSource => _query.GetValueOrDefault("pin-source");

    /// <summary>Gets the PIN given in the URI itself, or null.</summary>
    public string? PinValue => _query.GetValueOrDefault("pin-value");

    /// <summary>Gets the module's path, or null.</summary>
    public string? ModulePath => _query.GetValueOrDefault("module-path");

    /// <summary>Gets the module's name, or null.</summary>
    public string? ModuleName => _query.GetValueOrDefault("module-name");

    /// <summary>Tells whether a text is meant as a PKCS #11 URI (it starts with the scheme, in any case).</summary>
    /// <param name="text">The text.</param>
    /// <returns>True for a <c>pkcs11:</c> text.</returns>
    public static bool LooksLikeUri(string? text) => text is not null && text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a URI.</summary>
    /// <param name="text">The URI.</param>
    /// <returns>The URI.</returns>
    /// <exception cref="Pkcs11UriException">It is not a valid PKCS #11 URI (the message says why, never quoting a PIN).</exception>
    public static Pkcs11Uri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!LooksLikeUri(text))
        {
            throw new Pkcs11UriException("it does not start with 'pkcs11:'");
        }

        if (text.Length > MaxLength)
        {
            throw new Pkcs11UriException($"it is longer than {MaxLength} characters");
        }

        string rest = text[Scheme.Length..];
        int q = rest.IndexOf('?', StringComparison.Ordinal);
        string pathPart = q < 0 ? rest : rest[..q];
        string? queryPart = q < 0 ? null : rest[(q + 1)..];
        var path = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string raw) in Attributes(pathPart, ';', "path"))
        {
            if (Array.IndexOf(PathNames, name) < 0)
            {
                throw new Pkcs11UriException(Array.IndexOf(QueryNames, name) >= 0
                    ? $"'{name}' belongs in the query, after '?'"
                    : $"'{Shorten(name)}' is not a path attribute nanoAgent knows ({string.Join(", ", PathNames)})");
            }

            byte[] value = Decode(name, raw, PathSpecials);
            if (!path.TryAdd(name, value))
            {
                throw new Pkcs11UriException($"the attribute '{name}' is given twice");
            }

            if (name != "id")
            {
                CheckPathValue(name, Utf8(name, value));
            }
        }

        if (queryPart is not null)
        {
            foreach ((string name, string raw) in Attributes(queryPart, '&', "query"))
            {
                if (Array.IndexOf(QueryNames, name) < 0)
                {
                    throw new Pkcs11UriException(Array.IndexOf(PathNames, name) >= 0
                        ? $"'{name}' belongs in the path, before '?'"
                        : $"'{Shorten(name)}' is not a query attribute nanoAgent knows ({string.Join(", ", QueryNames)})");
                }

                if (!query.TryAdd(name, Utf8(name, Decode(name, raw, QuerySpecials))))
                {
                    throw new Pkcs11UriException($"the attribute '{name}' is given twice");
                }
            }
        }

        if (query.ContainsKey("pin-source") && query.ContainsKey("pin-value"))
        {
            throw new Pkcs11UriException("give either 'pin-source' or 'pin-value', not both");
        }

        return new Pkcs11Uri(path, query);
    }

    /// <summary>Percent-encodes an attribute value the way this class writes URIs (unreserved characters stay).</summary>
    /// <param name="value">The value's bytes.</param>
    /// <param name="query">True for a query attribute (which may also keep '/', '?' and '|'), false for a path attribute.</param>
    /// <returns>The encoded value.</returns>
    public static string Encode(byte[] value, bool query)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length * 3);
        foreach (byte b in value)
        {
            char c = (char)b;
            if (b < 0x80 && (IsUnreserved(c) || (query && c is '/' or '|')))
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>Writes the URI back, percent-encoded, without <c>pin-value</c> (so it can be printed).</summary>
    /// <returns>The URI text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(Scheme);
        text.AppendJoin(';', _path.Select(a => a.Key + "=" + Encode(a.Value, query: false)));
        var shown = _query.Where(a => a.Key != "pin-value").Select(a => a.Key + "=" + Encode(Encoding.UTF8.GetBytes(a.Value), query: true)).ToList();
        if (shown.Count > 0)
        {
            text.Append('?').AppendJoin('&', shown);
        }

        return text.ToString();
    }

    private static IEnumerable<(string Name, string Raw)> Attributes(string part, char separator, string where)
    {
        if (part.Length == 0)
        {
            yield break;
        }

        foreach (string attribute in part.Split(separator))
        {
            int eq = attribute.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new Pkcs11UriException(attribute.Length == 0
                    ? $"an empty attribute in the {where} (a '{separator}' too many)"
                    : $"an attribute in the {where} is not name=value");
            }

            string name = attribute[..eq];
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new Pkcs11UriException($"an attribute name in the {where} holds a character other than letters, digits, '-' and '_'");
            }

            yield return (name, attribute[(eq + 1)..]);
        }
    }

    private static byte[] Decode(string name, string value, string specials)
    {
        var bytes = new List<byte>(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !Uri.IsHexDigit(value[i + 1]) || !Uri.IsHexDigit(value[i + 2]))
                {
                    throw new Pkcs11UriException($"the value of '{name}' has a '%' not followed by two hex digits");
                }

                bytes.Add(byte.Parse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else if (IsUnreserved(c) || specials.Contains(c, StringComparison.Ordinal))
            {
                bytes.Add((byte)c);
            }
            else
            {
                string shown = c is > ' ' and < (char)0x7F ? $"'{c}'" : $"U+{(int)c:X4}";
                throw new Pkcs11UriException($"the value of '{name}' holds {shown}, which must be percent-encoded");
            }
        }

        return [.. bytes];
    }

    private static string Utf8(string name, byte[] value)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(value);
        }
        catch (DecoderFallbackException)
        {
            throw new Pkcs11UriException($"the value of '{name}' is not UTF-8 text");
        }
    }

    private static void CheckPathValue(string name, string value)
    {
        switch (name)
        {
            case "type" when Array.IndexOf(Types, value) < 0:
                throw new Pkcs11UriException("'type' is one of cert, data, private, public, secret-key");
            case "slot-id" when value.Length == 0 || value.Length > 20 || !value.All(char.IsAsciiDigit)
                || !ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _):
                throw new Pkcs11UriException("'slot-id' is a decimal number");
            case "library-version" when !IsVersion(value):
                throw new Pkcs11UriException("'library-version' is M or M.N (decimal)");
        }
    }

    private static bool IsVersion(string value)
    {
        string[] parts = value.Split('.');
        return parts.Length is 1 or 2 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private string? Text(string name) => _path.TryGetValue(name, out byte[]? value) ? Encoding.UTF8.GetString(value) : null;
}
