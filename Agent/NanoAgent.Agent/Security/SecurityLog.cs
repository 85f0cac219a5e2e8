using System;
using System.Text;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Agent.Security
{
    /// <summary>
    /// The agent's security events (docs/threat-model.md, "Security events"): one line per refusal, with the device, the
    /// tenant, what was refused and why, for example
    /// <c>security device=meter-001 tenant=acme event=actuate refused="command relay" why="MAC rejected by the secure element"</c>.
    /// Rate-limited so a flood cannot fill a disk: per kind and tenant, the first <see cref="LinesPerWindow"/> events of a
    /// one-minute window are written, the rest counted and reported as one <c>suppressed=N</c> line when the window ends
    /// (at the next event of that kind and tenant, or at <see cref="Flush"/>). At most <see cref="MaxTracked"/> kind-and-tenant
    /// pairs are tracked at once; the events of further pairs share one limit per kind (<c>tenant=*</c> in the suppressed line),
    /// so the memory is fixed and the lines per minute are bounded whatever the senders choose as tenant names.
    /// Thread-safe. Values are cut to <see cref="MaxValueLength"/> characters and stripped of quotes and control characters.
    /// </summary>
    public sealed class SecurityLog
    {
        /// <summary>The default number of lines per minute, per kind and tenant.</summary>
        public const int DefaultLinesPerWindow = 10;

        /// <summary>The length of a rate-limit window, in milliseconds.</summary>
        public const long WindowMilliseconds = 60000;

        /// <summary>The most kind-and-tenant pairs tracked at once (plus one shared slot per kind).</summary>
        public const int MaxTracked = 16;

        /// <summary>The most characters of one value (tenant, what, why) written.</summary>
        public const int MaxValueLength = 96;

        private const int KindCount = 4;
        private const string Prefix = "security device=";

        private readonly ISecurityLogSink _sink;
        private readonly IClock _clock;
        private readonly string _device;
        private readonly int _limit;
        private readonly object _lock = new object();
        private readonly bool[] _used = new bool[MaxTracked + KindCount];
        private readonly int[] _kind = new int[MaxTracked + KindCount];
        private readonly string[] _tenant = new string[MaxTracked + KindCount];
        private readonly long[] _start = new long[MaxTracked + KindCount];
        private readonly int[] _written = new int[MaxTracked + KindCount];
        private readonly int[] _suppressed = new int[MaxTracked + KindCount];
        private int _lines;
        private int _totalSuppressed;

        /// <summary>Creates the log.</summary>
        /// <param name="sink">Where the lines go.</param>
        /// <param name="clock">The time source of the rate-limit windows (a virtual clock in tests).</param>
        /// <param name="device">The device id written on every line.</param>
        /// <param name="linesPerWindow">Lines per minute per kind and tenant before the rest is suppressed (at least 1).</param>
        /// <exception cref="ArgumentException">An argument is null or the limit is below 1.</exception>
        public SecurityLog(ISecurityLogSink sink, IClock clock, string device, int linesPerWindow)
        {
            if (sink == null || clock == null || device == null || linesPerWindow < 1)
            {
                throw new ArgumentException("The sink, the clock and the device are required and the limit is at least 1.");
            }

            _sink = sink;
            _clock = clock;
            _device = Clean(device);
            _limit = linesPerWindow;
        }

        /// <summary>Gets the number of lines per window, per kind and tenant.</summary>
        public int LinesPerWindow
        {
            get { return _limit; }
        }

        /// <summary>Gets the number of lines written so far (event lines and suppressed lines).</summary>
        public int Lines
        {
            get
            {
                lock (_lock)
                {
                    return _lines;
                }
            }
        }

        /// <summary>Gets the number of events not written because of the rate limit.</summary>
        public int Suppressed
        {
            get
            {
                lock (_lock)
                {
                    return _totalSuppressed;
                }
            }
        }

        /// <summary>Returns the word a kind is written as.</summary>
        /// <param name="kind">The kind.</param>
        /// <returns><c>request</c>, <c>actuate</c>, <c>guard</c> or <c>broker</c>.</returns>
        public static string KindText(SecurityEventKind kind)
        {
            switch (kind)
            {
                case SecurityEventKind.Request: return "request";
                case SecurityEventKind.Actuate: return "actuate";
                case SecurityEventKind.Guard: return "guard";
                default: return "broker";
            }
        }

        /// <summary>Reports a refusal: writes its line unless the rate limit of its kind and tenant is reached.</summary>
        /// <param name="kind">The kind.</param>
        /// <param name="tenant">The tenant (of the topic), or null for the agent itself (written as <c>-</c>).</param>
        /// <param name="what">What was refused, e.g. <c>script</c> or <c>command relay</c>.</param>
        /// <param name="id">An id to append to <paramref name="what"/> (its first 4 bytes in hex), or null.</param>
        /// <param name="why">Why.</param>
        /// <returns>True when the line was written, false when it was suppressed.</returns>
        public bool Report(SecurityEventKind kind, string tenant, string what, byte[] id, string why)
        {
            string who = tenant == null ? "-" : tenant;
            lock (_lock)
            {
                long now = _clock.Milliseconds;
                int slot = Slot((int)kind, who, now);
                Roll(slot, now);
                if (_written[slot] >= _limit)
                {
                    _suppressed[slot]++;
                    _totalSuppressed++;
                    return false;
                }

                _written[slot]++;
                Write(Prefix + _device + " tenant=" + Clean(who) + " event=" + KindText(kind) + " refused=\"" + Clean(Describe(what, id))
                    + "\" why=\"" + Clean(why) + "\"");
                return true;
            }
        }

        /// <summary>Ends the windows that are over: writes their <c>suppressed=N</c> lines and frees their slots. Call it
        /// periodically (the agent's loop), so a flood's count is reported even when nothing follows it.</summary>
        /// <returns>The number of suppressed lines written.</returns>
        public int Flush()
        {
            int written = 0;
            lock (_lock)
            {
                long now = _clock.Milliseconds;
                for (int i = 0; i < _used.Length; i++)
                {
                    if (_used[i] && now - _start[i] >= WindowMilliseconds)
                    {
                        written += Summarise(i);
                        _used[i] = false;
                        _tenant[i] = null;
                    }
                }
            }

            return written;
        }

        private int Slot(int kind, string tenant, long now)
        {
            int free = -1;
            for (int i = 0; i < MaxTracked; i++)
            {
                if (_used[i] && _kind[i] == kind && _tenant[i] == tenant)
                {
                    return i;
                }

                if (free < 0 && (!_used[i] || now - _start[i] >= WindowMilliseconds))
                {
                    free = i;
                }
            }

            if (free < 0)
            {
                // Every tracked pair is inside its window: this pair shares its kind's slot.
                free = MaxTracked + kind;
                if (!_used[free])
                {
                    Take(free, kind, "*", now);
                }

                return free;
            }

            if (_used[free])
            {
                Summarise(free);
            }

            Take(free, kind, tenant, now);
            return free;
        }

        private void Take(int slot, int kind, string tenant, long now)
        {
            _used[slot] = true;
            _kind[slot] = kind;
            _tenant[slot] = tenant;
            _start[slot] = now;
            _written[slot] = 0;
            _suppressed[slot] = 0;
        }

        private void Roll(int slot, long now)
        {
            if (now - _start[slot] < WindowMilliseconds)
            {
                return;
            }

            Summarise(slot);
            _start[slot] = now;
            _written[slot] = 0;
        }

        private int Summarise(int slot)
        {
            int count = _suppressed[slot];
            _suppressed[slot] = 0;
            if (count == 0)
            {
                return 0;
            }

            Write(Prefix + _device + " tenant=" + Clean(_tenant[slot]) + " event=" + KindText((SecurityEventKind)_kind[slot])
                + " suppressed=" + count.ToString() + " why=\"more than " + _limit.ToString() + " a minute\"");
            return 1;
        }

        private void Write(string line)
        {
            _lines++;
            _sink.Line(line);
        }

        private static string Describe(string what, byte[] id)
        {
            if (id == null || id.Length == 0)
            {
                return what;
            }

            var text = new StringBuilder(what == null ? string.Empty : what);
            text.Append(' ');
            int n = id.Length < 4 ? id.Length : 4;
            for (int i = 0; i < n; i++)
            {
                text.Append(id[i].ToString("x2"));
            }

            return text.ToString();
        }

        // Values can come from a sender (topic levels, actuator names): no quotes, no control characters, bounded length.
        private static string Clean(string value)
        {
            if (value == null)
            {
                return "-";
            }

            int n = value.Length < MaxValueLength ? value.Length : MaxValueLength;
            char[] chars = new char[n];
            for (int i = 0; i < n; i++)
            {
                char c = value[i];
                chars[i] = c < ' ' || c == '"' || c == '\\' || c == (char)0x7F ? '?' : c;
            }

            return new string(chars);
        }
    }
}
