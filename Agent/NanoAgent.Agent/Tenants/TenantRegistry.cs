using System;
using System.Collections;

namespace NanoAgent.Agent.Tenants
{
    /// <summary>
    /// The tenants an agent serves, loaded from configuration. Read-mostly and thread-safe.
    /// Text form (one tenant a line, '#' starts a comment): <c>id sdAidHex [maxScriptBytes]</c>, for example
    /// <c>acme A0000001510000AC 8192</c>. The old form <c>id sdAidHex channel [maxScriptBytes]</c> still loads: a number
    /// 0 to 19 in third place (so below <see cref="Tenant.MinMaxScriptBytes"/>) is that old channel column, checked and
    /// ignored, since each session now takes a free logical channel (docs/protocol.md §4.3).
    /// A tenant of an NXP SE05x (IoT applet only) names its AESKey authentication object instead of an SD:
    /// <c>id se05x authObjectHex [maxScriptBytes]</c>, for example <c>acme se05x 7A0A0000</c> (docs/protocol.md §4.6).
    /// </summary>
    public sealed class TenantRegistry
    {
        private const int LogicalChannelMax = 19;

        private readonly Hashtable _byId = new Hashtable();
        private readonly ArrayList _ordered = new ArrayList();
        private readonly object _gate = new object();

        /// <summary>Gets the number of tenants.</summary>
        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _ordered.Count;
                }
            }
        }

        /// <summary>Parses the text form.</summary>
        /// <param name="text">The configuration text.</param>
        /// <returns>The registry.</returns>
        /// <exception cref="ArgumentException">A line is malformed, or two tenants share an id, an SD AID or an SE05x
        /// authentication object.</exception>
        public static TenantRegistry Parse(string text)
        {
            TenantRegistry registry = new TenantRegistry();
            string[] lines = (text ?? string.Empty).Split('\n');
            for (int n = 0; n < lines.Length; n++)
            {
                string line = lines[n];
                int hash = line.IndexOf('#');
                if (hash >= 0)
                {
                    line = line.Substring(0, hash);
                }

                string[] parts = SplitWords(line);
                if (parts.Length == 0)
                {
                    continue;
                }

                registry.Add(ParseLine(parts, n));
            }

            return registry;
        }

        /// <summary>Adds a tenant.</summary>
        /// <param name="tenant">The tenant.</param>
        /// <exception cref="ArgumentException">Another tenant has the same id, SD AID or SE05x authentication object (SE05x tenants
        /// share the IoT applet as their target).</exception>
        public void Add(Tenant tenant)
        {
            if (tenant == null)
            {
                throw new ArgumentNullException("tenant");
            }

            lock (_gate)
            {
                byte[] aid = tenant.GetSdAid();
                for (int i = 0; i < _ordered.Count; i++)
                {
                    Tenant other = (Tenant)_ordered[i];
                    bool bothSe05x = tenant.IsSe05x && other.IsSe05x;
                    if (other.Id == tenant.Id || (!bothSe05x && other.IsOwnSd(aid, 0, aid.Length))
                        || (bothSe05x && other.Se05xAuthObject == tenant.Se05xAuthObject))
                    {
                        throw new ArgumentException("Tenant '" + tenant.Id + "' shares its id, SD AID or SE05x authentication object with '" + other.Id + "'.");
                    }
                }

                _byId[tenant.Id] = tenant;
                _ordered.Add(tenant);
                Version++;
            }
        }

        /// <summary>
        /// Removes a tenant at run time (its provider lost the domain): its requests are no longer routed and its topics are
        /// not subscribed at the next <see cref="Service.AgentService.RefreshSubscriptions"/> or reconnect.
        /// </summary>
        /// <param name="tenantId">The tenant id.</param>
        /// <returns>True when the tenant was there.</returns>
        public bool Revoke(string tenantId)
        {
            lock (_gate)
            {
                Tenant old = tenantId == null ? null : (Tenant)_byId[tenantId];
                if (old == null)
                {
                    return false;
                }

                _byId.Remove(tenantId);
                _ordered.Remove(old);
                Version++;
                return true;
            }
        }

        /// <summary>
        /// Hands a tenant's place to another (provider change): the old tenant is revoked and the new one added in one step,
        /// typically with the same SD AID; on failure nothing changes.
        /// </summary>
        /// <param name="oldTenantId">The tenant id revoked.</param>
        /// <param name="newTenant">The tenant added.</param>
        /// <exception cref="ArgumentException">The old tenant is unknown, or the new one clashes with another tenant.</exception>
        public void Replace(string oldTenantId, Tenant newTenant)
        {
            if (newTenant == null)
            {
                throw new ArgumentNullException("newTenant");
            }

            lock (_gate)
            {
                Tenant old = oldTenantId == null ? null : (Tenant)_byId[oldTenantId];
                if (old == null)
                {
                    throw new ArgumentException("No tenant '" + oldTenantId + "'.", "oldTenantId");
                }

                int index = _ordered.IndexOf(old);
                _byId.Remove(oldTenantId);
                _ordered.Remove(old);
                try
                {
                    Add(newTenant);
                }
                catch (ArgumentException)
                {
                    _byId[old.Id] = old;
                    _ordered.Insert(index, old);
                    throw;
                }
            }
        }

        /// <summary>Gets a number that changes whenever a tenant is added, revoked or replaced.</summary>
        public int Version { get; private set; }

        /// <summary>Finds a tenant by id.</summary>
        /// <param name="id">The tenant id.</param>
        /// <returns>The tenant, or null.</returns>
        public Tenant Find(string id)
        {
            if (id == null)
            {
                return null;
            }

            lock (_gate)
            {
                return (Tenant)_byId[id];
            }
        }

        /// <summary>Returns the tenants in the order they were added.</summary>
        /// <returns>A new array.</returns>
        public Tenant[] All()
        {
            lock (_gate)
            {
                Tenant[] all = new Tenant[_ordered.Count];
                _ordered.CopyTo(all);
                return all;
            }
        }

        // 'id sdAidHex [maxScriptBytes]', or the old 'id sdAidHex channel [maxScriptBytes]' whose channel (0-19) is ignored.
        private static Tenant ParseLine(string[] parts, int line)
        {
            if (parts.Length >= 2 && parts[1] == "se05x")
            {
                if (parts.Length < 3 || parts.Length > 4)
                {
                    throw new ArgumentException("Tenant line " + (line + 1) + " is not 'id se05x authObjectHex [maxScriptBytes]'.");
                }

                return new Tenant(parts[0], ParseObjectId(parts[2], line), parts.Length == 4 ? ParseNumber(parts[3], line) : Tenant.DefaultMaxScriptBytes);
            }

            if (parts.Length < 2 || parts.Length > 4)
            {
                throw new ArgumentException("Tenant line " + (line + 1) + " is not 'id sdAidHex [maxScriptBytes]' nor 'id se05x authObjectHex [maxScriptBytes]'.");
            }

            byte[] aid = ParseHex(parts[1], line);
            if (parts.Length == 4)
            {
                return new Tenant(parts[0], aid, ParseNumber(parts[2], line), ParseNumber(parts[3], line));
            }

            int third = parts.Length == 3 ? ParseNumber(parts[2], line) : Tenant.DefaultMaxScriptBytes;
            if (parts.Length == 3 && third <= LogicalChannelMax)
            {
                return new Tenant(parts[0], aid, third, Tenant.DefaultMaxScriptBytes);
            }

            if (third < Tenant.MinMaxScriptBytes)
            {
                throw new ArgumentException("Tenant line " + (line + 1) + ": " + third + " is neither an old channel column (0 to 19) nor a script size limit (" + Tenant.MinMaxScriptBytes + " bytes or more).");
            }

            return new Tenant(parts[0], aid, third);
        }

        private static string[] SplitWords(string line)
        {
            ArrayList words = new ArrayList();
            int start = -1;
            for (int i = 0; i <= line.Length; i++)
            {
                bool space = i == line.Length || line[i] == ' ' || line[i] == '\t' || line[i] == '\r';
                if (!space && start < 0)
                {
                    start = i;
                }
                else if (space && start >= 0)
                {
                    words.Add(line.Substring(start, i - start));
                    start = -1;
                }
            }

            string[] result = new string[words.Count];
            words.CopyTo(result);
            return result;
        }

        private static int ParseNumber(string text, int line)
        {
            int value = 0;
            if (text.Length == 0 || text.Length > 9)
            {
                throw new ArgumentException("Tenant line " + (line + 1) + ": '" + text + "' is not a number.");
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9')
                {
                    throw new ArgumentException("Tenant line " + (line + 1) + ": '" + text + "' is not a number.");
                }

                value = (value * 10) + (text[i] - '0');
            }

            return value;
        }

        private static byte[] ParseHex(string text, int line)
        {
            if ((text.Length & 1) != 0)
            {
                throw new ArgumentException("Tenant line " + (line + 1) + ": the AID is not whole bytes of hex.");
            }

            byte[] bytes = new byte[text.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)((Nibble(text[2 * i], line) << 4) | Nibble(text[(2 * i) + 1], line));
            }

            return bytes;
        }

        private static uint ParseObjectId(string text, int line)
        {
            if (text.Length != 8)
            {
                throw new ArgumentException("Tenant line " + (line + 1) + ": '" + text + "' is not an SE05x object id (8 hex digits, e.g. 7A0A0000).");
            }

            uint value = 0;
            for (int i = 0; i < 8; i++)
            {
                value = (value << 4) | (uint)Nibble(text[i], line);
            }

            if (!Drivers.Lifecycle.Se05xTenantLayout.IsValidAuthObject(value))
            {
                throw new ArgumentException("Tenant line " + (line + 1) + ": " + text + " cannot start a tenant's object block: it must end in 00, not be 0 and lie outside 7FFFxxxx.");
            }

            return value;
        }

        private static int Nibble(char c, int line)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            throw new ArgumentException("Tenant line " + (line + 1) + ": the AID is not hex.");
        }
    }
}
