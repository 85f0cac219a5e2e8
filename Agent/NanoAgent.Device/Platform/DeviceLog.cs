using System;
using System.Diagnostics;
using NanoAgent.Agent.Runtime;

namespace NanoAgent.Device.Platform
{
    /// <summary><see cref="IAgentLog"/> to the debug output (visible in Visual Studio or with a serial monitor), with the UTC time.</summary>
    public sealed class DeviceLog : IAgentLog
    {
        /// <inheritdoc />
        public void Line(string line)
        {
            Debug.WriteLine(DateTime.UtcNow.ToString("HH:mm:ss") + " " + line);
        }
    }
}
