using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Drivers.Tests.Jrcp;

/// <summary>One end of an in-memory duplex byte link: what one end writes, the other reads; closing ends both.</summary>
public sealed class PipeChannel : IJrcpChannel
{
    private readonly Queue<byte> _in;
    private readonly Queue<byte> _out;
    private readonly object _gate;
    private readonly bool[] _closed;

    private PipeChannel(Queue<byte> input, Queue<byte> output, object gate, bool[] closed)
    {
        _in = input;
        _out = output;
        _gate = gate;
        _closed = closed;
    }

    public static (PipeChannel A, PipeChannel B) Pair()
    {
        var ab = new Queue<byte>();
        var ba = new Queue<byte>();
        var gate = new object();
        var closed = new bool[1];
        return (new PipeChannel(ba, ab, gate, closed), new PipeChannel(ab, ba, gate, closed));
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        lock (_gate)
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            while (_in.Count == 0 && !_closed[0])
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return 0;
                }

                Monitor.Wait(_gate, left);
            }

            if (_in.Count == 0)
            {
                return -1;
            }

            int n = 0;
            while (n < count && _in.Count > 0)
            {
                buffer[offset + n++] = _in.Dequeue();
            }

            return n;
        }
    }

    public bool Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            if (_closed[0])
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                _out.Enqueue(buffer[offset + i]);
            }

            Monitor.PulseAll(_gate);
            return true;
        }
    }

    public void Send(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", string.Empty));
        Write(bytes, 0, bytes.Length);
    }

    /// <summary>Reads one whole JRCP message (header and payload) as hex, or fails after the timeout.</summary>
    public string ReceiveMessage(int timeoutMs = 5000)
    {
        var reader = new JrcpFrameReader(JrcpFraming.MaxLength);
        var one = new byte[1];
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!reader.IsComplete)
        {
            int n = Read(one, 0, 1, 50);
            if (n < 0 || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no complete message");
            }

            if (n == 1)
            {
                reader.Push(one, 0, 1);
            }
        }

        return Convert.ToHexString(reader.Buffer, 0, JrcpFraming.HeaderLength + reader.PayloadLength);
    }

    public void Close()
    {
        lock (_gate)
        {
            _closed[0] = true;
            Monitor.PulseAll(_gate);
        }
    }
}
