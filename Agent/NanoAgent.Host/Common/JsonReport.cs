using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NanoAgent.Host.Common;

/// <summary>
/// The one shape of every command's <c>--json</c> output: <c>{"command": "se probe", "ok": true, "exitCode": 0,
/// "data": {...}}</c>, camelCase throughout, every property always present (null when unknown). <c>data</c> is the
/// command's own report (docs/json.md); a command that failed before it had one gives <c>{"error": "..."}</c>. A stream
/// (<c>backend watch</c>) is JSON Lines: one compact event object a line, the envelope last.
/// </summary>
public static class JsonReport
{
    /// <summary>The serializer settings: camelCase names, enums as camelCase strings, indented, nulls written, quotes and
    /// non-ASCII text as they are (the output is read by programs and people, never put in a web page).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The same settings on one line, for JSON Lines streams.</summary>
    public static JsonSerializerOptions LineOptions { get; } = new(Options) { WriteIndented = false };

    /// <summary>Writes a command's report in the envelope.</summary>
    /// <param name="command">The command as typed, without options (e.g. "se probe", "backend run").</param>
    /// <param name="exitCode">The exit code the command returns (<see cref="ExitCodes"/>); ok is exitCode 0.</param>
    /// <param name="data">The command's report; null when it has none.</param>
    /// <param name="oneLine">True for one line (the last line of a stream); false for indented JSON.</param>
    /// <returns>The JSON text.</returns>
    public static string Envelope(string command, int exitCode, object? data, bool oneLine = false) =>
        JsonSerializer.Serialize(new Document(command, exitCode == ExitCodes.Ok, exitCode, data), oneLine ? LineOptions : Options);

    /// <summary>Writes the envelope to standard output (through <see cref="JsonOutput"/> when the command runs with --json).</summary>
    /// <param name="output">The command's output.</param>
    /// <param name="command">The command as typed, without options.</param>
    /// <param name="exitCode">The exit code the command returns.</param>
    /// <param name="data">The command's report.</param>
    /// <param name="oneLine">True for one line (the last line of a stream).</param>
    public static void Write(TextWriter output, string command, int exitCode, object? data, bool oneLine = false) =>
        Emit(output, Envelope(command, exitCode, data, oneLine));

    /// <summary>Writes one event of a stream as one compact line.</summary>
    /// <param name="output">The command's output.</param>
    /// <param name="item">The event.</param>
    public static void WriteEvent(TextWriter output, object item) => Emit(output, JsonSerializer.Serialize(item, LineOptions));

    private static void Emit(TextWriter output, string json)
    {
        if (output is JsonOutput only)
        {
            only.WriteJson(json);
        }
        else
        {
            output.WriteLine(json);
            output.Flush();
        }
    }

    /// <summary>Makes the <c>data</c> of a command that failed before it had a report of its own: <c>{"error": "..."}</c>.</summary>
    /// <param name="message">What went wrong, in one line (what standard error says).</param>
    /// <returns>The data.</returns>
    public static object ErrorData(string message) => new ErrorDocument(message);

    private sealed record ErrorDocument(string Error);

    private sealed record Document(string Command, bool Ok, int ExitCode, object? Data);
}
