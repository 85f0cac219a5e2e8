using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Host.Agent;

/// <summary>
/// Checks at start-up that the SE opens every tenant's logical channel: MANAGE CHANNEL open channel n, then close it
/// (ISO/IEC 7816-4 §11.1.2). The SE's channel count is not in its card data (GPC v2.3.1 §H.2), so it is asked directly; a
/// tenant on a channel the SE refuses would otherwise get "setup failed" on every script.
/// </summary>
internal static class TenantChannelCheck
{
    /// <summary>Returns what is wrong with the first tenant whose channel the SE does not open, or null when all open.</summary>
    /// <param name="transport">The SE link, before any channel is in use.</param>
    /// <param name="tenants">The tenants.</param>
    /// <returns>A sentence naming the tenant, its channel and the SE's status word, or null.</returns>
    public static string? FirstProblem(IApduTransport transport, TenantRegistry tenants)
    {
        byte[] command = new byte[5];
        byte[] response = new byte[258];
        foreach (Tenant tenant in tenants.All())
        {
            int channel = tenant.LogicalChannel;
            if (channel == 0 || tenant.IsSe05x)
            {
                continue;
            }

            ushort sw = Manage(transport, 0x00, channel, command, response);
            if (!StatusWord.IsSuccess(sw))
            {
                // A channel left open by an earlier run is closed and opened again, as the relay does.
                Manage(transport, 0x80, channel, command, response);
                sw = Manage(transport, 0x00, channel, command, response);
            }

            if (!StatusWord.IsSuccess(sw))
            {
                return $"tenant '{tenant.Id}' uses logical channel {channel}, which the SE does not open "
                    + $"(MANAGE CHANNEL answered {StatusWordText.Describe(sw)}): give it a channel the SE offers";
            }

            Manage(transport, 0x80, channel, command, response);
        }

        return null;
    }

    private static ushort Manage(IApduTransport transport, byte p1, int channel, byte[] command, byte[] response)
    {
        int length = CommandApdu.Write(0x00, 0x70, p1, (byte)channel, null, 0, 0, 0, ApduLengthForm.Short, command, 0);
        int n = transport.Transceive(command, 0, length, response, 0);
        return StatusWord.Read(response, 0, n);
    }
}
