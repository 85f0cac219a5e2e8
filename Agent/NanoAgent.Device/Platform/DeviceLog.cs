using System;
using NanoAgent.Agent.Runtime;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// <see cref="IAgentLog"/> to the console output (the debugger's output window, or a serial monitor), with the UTC time.
    /// <c>Console.WriteLine</c>, not <c>Debug.WriteLine</c>: in mscorlib 1.17.11 every <c>Debug.Write*</c> carries
    /// <c>[Conditional("DEBUG")]</c>, so a Release build (the command-line default) would drop every line, halts included;
    /// <c>System.Console.WriteLine(string)</c> in the same mscorlib has no such attribute (checked on the package's
    /// <c>lib/mscorlib.dll</c> by Tests/NanoAgent.Portable.NfCheck, <c>DeviceApiTests</c>).
    /// </summary>
    public sealed class DeviceLog : IAgentLog
    {
        /// <inheritdoc />
        public void Line(string line)
        {
            Console.WriteLine(DateTime.UtcNow.ToString("HH:mm:ss") + " " + line);
        }
    }
}
