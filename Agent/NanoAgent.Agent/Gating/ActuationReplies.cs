using System.Collections;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// The last actuate request of each tenant and the response it got, so a byte-identical request (a backend re-sending
    /// because the answer was lost, docs/reliability.md) is answered again without a second VERIFY COMMAND or actuation.
    /// One entry per tenant, in RAM only: after a reboot a re-sent request reaches the SE, which refuses the used counter.
    /// </summary>
    internal sealed class ActuationReplies
    {
        private readonly Hashtable _last = new Hashtable();

        /// <summary>Finds the response to the tenant's last request if <paramref name="request"/> is the same bytes.</summary>
        /// <returns>The response sent then, or null.</returns>
        public byte[] Find(string tenant, byte[] request)
        {
            object[] entry = (object[])_last[tenant];
            if (entry == null || request == null)
            {
                return null;
            }

            byte[] last = (byte[])entry[0];
            if (last.Length != request.Length)
            {
                return null;
            }

            for (int i = 0; i < last.Length; i++)
            {
                if (last[i] != request[i])
                {
                    return null;
                }
            }

            return (byte[])entry[1];
        }

        /// <summary>Keeps a request (copied) and its response as the tenant's last.</summary>
        public void Keep(string tenant, byte[] request, byte[] response)
        {
            if (request == null)
            {
                return;
            }

            byte[] copy = new byte[request.Length];
            System.Array.Copy(request, copy, request.Length);
            _last[tenant] = new object[] { copy, response };
        }
    }
}
