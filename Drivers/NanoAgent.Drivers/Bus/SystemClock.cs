using System;
using System.Threading;

namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// Wall-clock <see cref="IClock"/> built on <see cref="DateTime.UtcNow"/> and <see cref="Thread.Sleep(int)"/>, both in nanoFramework.
    /// </summary>
    public sealed class SystemClock : IClock
    {
        /// <summary>The shared instance.</summary>
        public static readonly SystemClock Instance = new SystemClock();

        private SystemClock()
        {
        }

        /// <inheritdoc />
        public long Milliseconds
        {
            get { return DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond; }
        }

        /// <inheritdoc />
        public void Sleep(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }
    }
}
