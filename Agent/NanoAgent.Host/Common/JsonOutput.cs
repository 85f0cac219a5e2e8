using System.Text;

namespace NanoAgent.Host.Common;

/// <summary>
/// Standard output while a command runs with <c>--json</c>: the command's human text is dropped, only what
/// <see cref="JsonReport"/> writes gets through, so standard output holds JSON alone. What the command writes to
/// <see cref="Error"/> still reaches standard error and, when the command wrote no envelope of its own (a usage error, a
/// bad file, a peer it could not reach), becomes the envelope's <c>data.error</c> (<see cref="Finish"/>).
/// </summary>
public sealed class JsonOutput : TextWriter
{
    private readonly TextWriter _inner;
    private readonly ErrorTee _errors;

    /// <summary>Creates the writer.</summary>
    /// <param name="output">The real standard output.</param>
    /// <param name="error">The real standard error.</param>
    public JsonOutput(TextWriter output, TextWriter error)
    {
        _inner = output;
        _errors = new ErrorTee(error);
    }

    /// <summary>Gets the error writer to give the command: it writes to standard error and keeps the text.</summary>
    public TextWriter Error => _errors;

    /// <summary>Gets a value indicating whether a JSON document was written.</summary>
    public bool Written { get; private set; }

    /// <inheritdoc />
    public override Encoding Encoding => _inner.Encoding;

    /// <summary>Writes one JSON document (or one line of a JSON Lines stream) to standard output.</summary>
    /// <param name="json">The JSON text.</param>
    public void WriteJson(string json)
    {
        lock (_inner)
        {
            _inner.WriteLine(json);
            _inner.Flush();
            Written = true;
        }
    }

    /// <summary>Writes the envelope with <c>data.error</c> when the command wrote none.</summary>
    /// <param name="command">The command (e.g. "gp list").</param>
    /// <param name="exitCode">The exit code it returned.</param>
    public void Finish(string command, int exitCode)
    {
        if (!Written)
        {
            string message = _errors.OneLine();
            WriteJson(JsonReport.Envelope(command, exitCode, message.Length == 0 ? null : JsonReport.ErrorData(message)));
        }
    }

    /// <inheritdoc />
    public override void Write(char value)
    {
    }

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count)
    {
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
    }

    /// <inheritdoc />
    public override void Flush() => _inner.Flush();

    // Standard error as the command writes it, and a copy for the envelope.
    private sealed class ErrorTee(TextWriter error) : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => error.Encoding;

        public override void Write(char value)
        {
            error.Write(value);
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            error.Write(value);
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Flush() => error.Flush();

        // Every line, without the "error: " the console line starts with, joined by "; ".
        public string OneLine()
        {
            lock (_text)
            {
                return string.Join("; ", _text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(line => line.StartsWith("error: ", StringComparison.Ordinal) ? line["error: ".Length..] : line));
            }
        }
    }
}
