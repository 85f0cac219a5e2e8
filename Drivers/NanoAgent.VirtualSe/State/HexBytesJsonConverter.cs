using System.Text.Json;
using System.Text.Json.Serialization;

namespace NanoAgent.VirtualSe.State;

/// <summary>Writes byte arrays as upper-case hex strings so state files read like card dumps.</summary>
internal sealed class HexBytesJsonConverter : JsonConverter<byte[]>
{
    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected a hex string.");
        }

        try
        {
            return Convert.FromHexString(reader.GetString() ?? string.Empty);
        }
        catch (FormatException e)
        {
            throw new JsonException("Expected a hex string.", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Convert.ToHexString(value));
}
