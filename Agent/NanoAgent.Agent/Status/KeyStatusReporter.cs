using System;
using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Lifecycle;

namespace NanoAgent.Agent.Status
{
    /// <summary>
    /// The agent's key status (docs/key-status.md): for each tenant of the registry, its SD's key version, key length and
    /// SCP03 sequence counter (read by an <see cref="IKeyInfoSource"/>) and the state of its <see cref="KeyPolicy"/>,
    /// as UTF-8 text published retained on <c>nanoagent/{device}/keys</c>. One line a tenant:
    /// <c>tenant sdAid kvn bits counter state</c>, for example <c>acme A0000001515350410A 30 128 17 ok</c>; unknown fields
    /// are <c>-</c>; state is <c>ok</c>, <c>due</c> or <c>nopolicy</c>; a failed read is <c>tenant sdAid error 6A82</c>.
    /// The rotation baseline (KVN, counter and time at rotation) is taken the first time a key version is seen, unless set
    /// with <see cref="SetBaseline"/>; it lives in this instance only. Not thread-safe: call it from the relay's worker.
    /// </summary>
    public sealed class KeyStatusReporter
    {
        /// <summary>The most tenants with a policy or baseline.</summary>
        public const int MaxTenants = 16;

        private readonly TenantRegistry _tenants;
        private readonly IKeyInfoSource _source;
        private readonly SdKeyInfo _info = new SdKeyInfo();
        private readonly string[] _ids = new string[MaxTenants];
        private readonly KeyPolicy[] _policies = new KeyPolicy[MaxTenants];
        private readonly int[] _baseKvn = new int[MaxTenants];
        private readonly int[] _baseCounter = new int[MaxTenants];
        private readonly long[] _baseTime = new long[MaxTenants];
        private int _count;

        /// <summary>Creates a reporter.</summary>
        /// <param name="tenants">The tenant registry (read at each report).</param>
        /// <param name="source">Reads each SD's key information.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        public KeyStatusReporter(TenantRegistry tenants, IKeyInfoSource source)
        {
            if (tenants == null || source == null)
            {
                throw new ArgumentNullException(tenants == null ? "tenants" : "source");
            }

            _tenants = tenants;
            _source = source;
        }

        /// <summary>Returns the topic of a device's key status.</summary>
        /// <param name="device">The device id.</param>
        /// <returns><c>nanoagent/{device}/keys</c>.</returns>
        public static string Topic(string device)
        {
            return "nanoagent/" + device + "/keys";
        }

        /// <summary>Sets a tenant's rotation policy.</summary>
        /// <param name="tenantId">The tenant id.</param>
        /// <param name="policy">The policy.</param>
        /// <exception cref="InvalidOperationException">More than <see cref="MaxTenants"/> tenants.</exception>
        public void SetPolicy(string tenantId, KeyPolicy policy)
        {
            _policies[Slot(tenantId)] = policy;
        }

        /// <summary>Sets when a tenant's key set was last rotated (from the backend or a persisted record).</summary>
        /// <param name="tenantId">The tenant id.</param>
        /// <param name="keyVersion">The key version put then.</param>
        /// <param name="counterAtRotation">The sequence counter then.</param>
        /// <param name="rotatedAtSeconds">Seconds since 1970 then.</param>
        /// <exception cref="InvalidOperationException">More than <see cref="MaxTenants"/> tenants.</exception>
        public void SetBaseline(string tenantId, int keyVersion, int counterAtRotation, long rotatedAtSeconds)
        {
            int i = Slot(tenantId);
            _baseKvn[i] = keyVersion;
            _baseCounter[i] = counterAtRotation;
            _baseTime[i] = rotatedAtSeconds;
        }

        /// <summary>Reads every GP tenant's SD and builds the report (SE05x tenants are left out: docs/key-status.md).</summary>
        /// <param name="nowSeconds">Seconds since 1970 (the policy's age limb).</param>
        /// <returns>The text, one line a tenant, each ending with a line feed.</returns>
        public string Build(long nowSeconds)
        {
            var text = new StringBuilder();
            Tenant[] all = _tenants.All();
            for (int t = 0; t < all.Length; t++)
            {
                Tenant tenant = all[t];
                if (tenant.IsSe05x)
                {
                    // An SE05x tenant's key is an authentication object: reading its attributes would SELECT the IoT applet and
                    // end every open applet session, and nothing of its key state is readable without the tenant's key.
                    continue;
                }

                text.Append(tenant.Id).Append(' ').Append(HexOf(tenant.GetSdAid())).Append(' ');
                ushort sw = _source.Read(tenant, _info);
                if (sw != 0x9000)
                {
                    text.Append("error ").Append(((int)sw).ToString("X4")).Append('\n');
                    continue;
                }

                text.Append(_info.KeyVersion.ToString("X2")).Append(' ').Append((_info.KeyLength * 8).ToString()).Append(' ')
                    .Append(_info.SequenceCounter < 0 ? "-" : _info.SequenceCounter.ToString()).Append(' ')
                    .Append(State(tenant.Id, nowSeconds)).Append('\n');
            }

            return text.ToString();
        }

        /// <summary>Builds the report and publishes it retained at QoS 1 on <see cref="Topic"/>.</summary>
        /// <param name="mqtt">The agent's connection.</param>
        /// <param name="device">The device id.</param>
        /// <param name="nowSeconds">Seconds since 1970.</param>
        /// <returns>The report published.</returns>
        /// <exception cref="MqttConnectionException">The broker connection is lost.</exception>
        public string Publish(IMqttConnection mqtt, string device, long nowSeconds)
        {
            string report = Build(nowSeconds);
            mqtt.Publish(Topic(device), Encoding.UTF8.GetBytes(report), MqttQos.AtLeastOnce, true);
            return report;
        }

        private string State(string tenantId, long now)
        {
            int i = Find(tenantId);
            if (i < 0 || _policies[i] == null)
            {
                if (i >= 0 || _count < MaxTenants)
                {
                    Baseline(Slot(tenantId), now);
                }

                return "nopolicy";
            }

            Baseline(i, now);
            int counter = _info.SequenceCounter;

            // Without the counter (GET DATA 'C1' unsupported) only the key length and age limbs are evaluated.
            int atRotation = counter < 0 ? 0 : _baseCounter[i];
            long days = (now - _baseTime[i]) / 86400;
            bool due = _policies[i].IsDue(atRotation, counter < 0 ? 0 : counter, days < 0 ? 0 : (int)days, _info.KeyLength);
            return due ? "due" : "ok";
        }

        private void Baseline(int i, long now)
        {
            // A key version seen for the first time (or a new one after rotation) starts the count.
            if (_baseKvn[i] != _info.KeyVersion)
            {
                _baseKvn[i] = _info.KeyVersion;
                _baseCounter[i] = _info.SequenceCounter < 0 ? 0 : _info.SequenceCounter;
                _baseTime[i] = now;
            }
        }

        private int Find(string id)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_ids[i] == id)
                {
                    return i;
                }
            }

            return -1;
        }

        private int Slot(string id)
        {
            int i = Find(id);
            if (i >= 0)
            {
                return i;
            }

            if (_count == MaxTenants)
            {
                throw new InvalidOperationException("The key status reporter tracks at most 16 tenants.");
            }

            _ids[_count] = id;
            _baseKvn[_count] = -1;
            return _count++;
        }

        private static string HexOf(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 2);
            for (int i = 0; i < bytes.Length; i++)
            {
                text.Append(bytes[i].ToString("X2"));
            }

            return text.ToString();
        }
    }
}
