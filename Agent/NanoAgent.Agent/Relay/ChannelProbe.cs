using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Asks the SE at start-up which supplementary logical channels it opens, for <see cref="RelayOptions.SessionChannels"/>.
    /// The channel count is not in a card's data (GPC v2.3.1 §H.2 has no such tag; an ATR's card capabilities stop at
    /// "8 or more"), so channels 1, 2, 3, … are opened with MANAGE CHANNEL (ISO/IEC 7816-4 §7.1.2, P2 = n) and closed again,
    /// up to 19 or the first the SE refuses even after a close (a channel left open by an earlier run is closed and opened
    /// once, as the relay does). Call it before anything else uses channels.
    /// </summary>
    public static class ChannelProbe
    {
        /// <summary>Returns the supplementary channels the SE opens, in order (1, 2, …, n).</summary>
        /// <param name="transport">The SE link.</param>
        /// <returns>A new array, empty when the SE offers the basic channel only.</returns>
        /// <exception cref="ApduException">The link failed (so did any other error of the transport below).</exception>
        public static int[] OpenableChannels(IApduTransport transport)
        {
            byte[] command = new byte[5];
            byte[] response = new byte[258];
            int count = 0;
            for (int channel = 1; channel <= LogicalChannel.MaxChannel; channel++)
            {
                ushort sw = Manage(transport, 0x00, channel, command, response);
                if (sw != StatusWord.Success)
                {
                    Manage(transport, 0x80, channel, command, response);
                    sw = Manage(transport, 0x00, channel, command, response);
                }

                if (sw != StatusWord.Success)
                {
                    break;
                }

                Manage(transport, 0x80, channel, command, response);
                count = channel;
            }

            int[] channels = new int[count];
            for (int i = 0; i < count; i++)
            {
                channels[i] = i + 1;
            }

            return channels;
        }

        /// <summary>
        /// Returns the channels sessions may take: the openable ones but the last, which stays free for the request verifier
        /// and key status readings (they open a channel the card assigns), at most <paramref name="max"/> of them. An SE that
        /// opens one supplementary channel or none gets the basic channel, one session at a time (with none, no request can
        /// be verified either: every request is answered "verifier unavailable").
        /// </summary>
        /// <param name="openable">What <see cref="OpenableChannels"/> returned.</param>
        /// <param name="max">The most channels sessions may hold at once (at least 1).</param>
        /// <returns>A new array of at least one channel.</returns>
        public static int[] SessionChannels(int[] openable, int max)
        {
            int count = openable.Length - 1;
            if (count > max)
            {
                count = max;
            }

            if (count < 1)
            {
                return new int[] { 0 };
            }

            int[] channels = new int[count];
            for (int i = 0; i < count; i++)
            {
                channels[i] = openable[i];
            }

            return channels;
        }

        private static ushort Manage(IApduTransport transport, byte p1, int channel, byte[] command, byte[] response)
        {
            int length = CommandApdu.Write(0x00, 0x70, p1, (byte)channel, null, 0, 0, 0, ApduLengthForm.Short, command, 0);
            int n = transport.Transceive(command, 0, length, response, 0);
            return StatusWord.Read(response, 0, n);
        }
    }
}
