using System;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.Se05x;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.Drivers.T1.Se05x;

namespace NanoAgent.Agent.Budget
{
    /// <summary>
    /// Lists the agent's buffers with the sizes the given options and the code's constants give them: the allocation
    /// formulas follow the constructors named in each line, the numbers come from the live option objects and constants.
    /// </summary>
    public static class AgentMemoryBudget
    {
        /// <summary>
        /// The MQTT payload cap this budget assumes on the device, in bytes. The message codecs accept up to 65 KB
        /// (64 KiB plus one extended APDU); a device must cap what its MQTT client receives and what it publishes
        /// (broker maximum packet size, backend splitting long scripts) or one message alone exceeds the heap.
        /// </summary>
        public const int DeviceMaxMqttPayload = 1024;

        /// <summary>Builds the budget with the options the firmware uses (their defaults) and <see cref="DeviceMaxMqttPayload"/>.</summary>
        /// <returns>The budget against <see cref="MemoryBudget.Esp32HeapBytes"/>.</returns>
        public static MemoryBudget CreateDefault()
        {
            return Create(GpT1Options.Compact(), new RelayOptions(), new ReconnectOptions(), DeviceMaxMqttPayload, MemoryBudget.Esp32HeapBytes);
        }

        /// <summary>Builds the budget for the given configuration.</summary>
        /// <param name="gp">GP T=1' options (the information field size sizes the block buffers).</param>
        /// <param name="relay">Relay options (APDU channel limits).</param>
        /// <param name="reconnect">MQTT reconnect options (the offline publish queue).</param>
        /// <param name="maxMqttPayload">The largest MQTT payload the device receives or publishes.</param>
        /// <param name="heapBytes">The managed heap available.</param>
        /// <returns>The budget.</returns>
        /// <exception cref="ArgumentNullException">When an options object is null.</exception>
        public static MemoryBudget Create(GpT1Options gp, RelayOptions relay, ReconnectOptions reconnect, int maxMqttPayload, long heapBytes)
        {
            if (gp == null || relay == null || reconnect == null)
            {
                throw new ArgumentNullException(gp == null ? "gp" : relay == null ? "relay" : "reconnect");
            }

            var budget = new MemoryBudget(heapBytes);
            const int Block = AesCmac.MacLength; // AES block = CMAC length (NIST SP 800-38B)

            // T=1 block buffers, one transmit and one receive frame each (Se05xBlockEngine._tx, Se05xLink.Rx;
            // GpBlockLink._tx/_rx). SE05x IFS is at most 254 (UM11225 §3.1.1); GP's follows MaxInformationSize.
            budget.Add("SE05x T=1 tx + rx frames (2 x MaxFrame)", 2L * Se05xFrameCodec.MaxFrame, BudgetKind.Static);
            budget.Add("GP T=1' tx + rx frames (2 x (Overhead + MaxInformationSize))", 2L * (GpFrameCodec.Overhead + gp.MaxInformationSize), BudgetKind.Static);

            // ApduChannel: header + extended Lc (3) + data + extended Le (2); response data + SW (ApduChannel ctor).
            budget.Add("Relay ApduChannel command + response (RelayOptions)", ChannelBytes(relay.MaxCommandData, relay.MaxResponseData), BudgetKind.Static);
            budget.Add("Gate applet ApduChannel (short APDUs)", ChannelBytes(ApduChannel.ShortMaxData, ApduChannel.ShortMaxResponseData), BudgetKind.Static);

            // SeRequestVerifier: its ApduChannel (short APDUs), prefix, chunk, command and response buffers (docs/protocol.md §3.9).
            budget.Add(
                "Request verifier ApduChannel + buffers",
                ChannelBytes(ApduChannel.ShortMaxData, ApduChannel.ShortMaxResponseData) + SeRequestVerifier.BufferBytes,
                BudgetKind.Static);

            // SCP03: wrapper counters and chaining values (4 blocks), session keys S-ENC/S-MAC/S-RMAC (AES-128) + ICV + scratch.
            budget.Add("SCP03 wrapper + session keys", (4 * Block) + (3 * 16) + (2 * Block), BudgetKind.Static);

            // PlatformScp03Transport: two short-command buffers (5 + 255 + Le), the challenge, the wrapped response.
            budget.Add(
                "PlatformScp03Transport buffers",
                (2L * (5 + ApduChannel.ShortMaxData + 1)) + 8 + PlatformScp03Transport.DefaultMaxResponseData + (2 * Block) + 2,
                BudgetKind.Static);

            // Gating: SE05x gate payload writer (MaxResponseLength - SW) and response, publisher and command handler buffers.
            budget.Add("Se05xGate payload + response", (Se05xGate.MaxResponseLength - 2) + Se05xGate.MaxResponseLength, BudgetKind.Static);
            budget.Add(
                "GatedPublisher body + SE + envelope",
                GatedPublisher.BodyBufferLength + GatedPublisher.SeBufferLength + GatedPublisher.EnvelopeBufferLength,
                BudgetKind.Static);
            budget.Add(
                "GatedCommandHandler verify + result + response",
                GatedCommandHandler.VerifyBufferLength + GatedCommandHandler.ResultBufferLength + GatedCommandHandler.ResponseBufferLength,
                BudgetKind.Static);

            // One relayed message in flight: the received payload, the decoded steps (copies of the commands),
            // the encoded result; and the offline queue of publishes held while the broker is away.
            budget.Add("MQTT payload received (script request)", maxMqttPayload, BudgetKind.PerMessage);
            budget.Add("Decoded script steps (command copies)", maxMqttPayload, BudgetKind.PerMessage);
            budget.Add("Encoded result / progress payload", maxMqttPayload, BudgetKind.PerMessage);
            budget.Add("Offline publish queue (MaxBufferedPublishes x payload)", (long)reconnect.MaxBufferedPublishes * maxMqttPayload, BudgetKind.PerMessage);
            budget.Add("Inbound request queue (AgentService.DefaultMaxInboundBytes)", Service.AgentService.DefaultMaxInboundBytes, BudgetKind.PerMessage);

            // Requests waiting for a logical channel (docs/protocol.md §4.3): each keeps its payload and its decoded steps.
            budget.Add("Requests waiting for a channel (MaxWaitingRequests x 2 x payload)", 2L * relay.MaxWaitingRequests * maxMqttPayload, BudgetKind.PerMessage);
            return budget;
        }

        private static long ChannelBytes(int maxCommandData, int maxResponseData)
        {
            return (4L + 3 + maxCommandData + 2) + (maxResponseData + 2L);
        }
    }
}
