using System.Text;

namespace NanoAgent.Host.Demo;

/// <summary>Writes each line to another writer with a prefix, so the demo's actors can be told apart. Thread-safe.</summary>
internal sealed class PrefixWriter(TextWriter inner, string prefix) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (inner)
        {
            if (value == '\n')
            {
                inner.WriteLine(prefix + _line.ToString().TrimEnd('\r'));
                _line.Clear();
            }
            else
            {
                _line.Append(value);
            }
        }
    }
}
