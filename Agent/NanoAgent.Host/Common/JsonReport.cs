using System.Text.Json;
using System.Text.Json.Serialization;

namespace NanoAgent.Host.Common;

/// <summary>
/// The one shape of every command's <c>--json</c> output: <c>{"command": "se probe", "ok": true, "exitCode": 0,
/// "data": {...}}</c>, camelCase throughout, nulls left out. <c>data</c> is the command's own report (docs/json.md).
/// </summary>
public static class JsonReport
{
    /// <summary>The serializer settings: camelCase names, enums as camelCase strings, indented, nulls omitted.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes a command's report in the envelope.</summary>
    /// <param name="command">The command as typed, without options (e.g. "se probe", "backend run").</param>
    /// <param name="exitCode">The exit code the command returns (<see cref="ExitCodes"/>); ok is exitCode 0.</param>
    /// <param name="data">The command's report; null when it has none.</param>
    /// <returns>The JSON text.</returns>
    public static string Envelope(string command, int exitCode, object? data) =>
        JsonSerializer.Serialize(new Document(command, exitCode == ExitCodes.Ok, exitCode, data), Options);

    private sealed record Document(string Command, bool Ok, int ExitCode, object? Data);
}
