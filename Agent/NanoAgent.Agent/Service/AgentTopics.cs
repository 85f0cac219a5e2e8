namespace NanoAgent.Agent.Service
{
    /// <summary>
    /// The MQTT topics of one device (docs/protocol.md §2): <c>nanoagent/{device}/status</c> (retained, last will
    /// "offline") and per tenant <c>nanoagent/{device}/{tenant}/script/req</c>, <c>…/script/res</c>, <c>…/script/progress</c>.
    /// Device and tenant ids are identifiers (A-Z a-z 0-9 . _ -), so they never contain MQTT separators or wildcards.
    /// </summary>
    public static class AgentTopics
    {
        /// <summary>The first topic level.</summary>
        public const string Root = "nanoagent";

        private const string RequestSuffix = "/script/req";

        /// <summary>Returns the status topic of a device.</summary>
        /// <param name="deviceId">The device id.</param>
        /// <returns>The topic.</returns>
        public static string Status(string deviceId)
        {
            return Root + "/" + deviceId + "/status";
        }

        /// <summary>Returns the topic a tenant's backend publishes requests to (script requests and interactive APDUs).</summary>
        /// <param name="deviceId">The device id.</param>
        /// <param name="tenantId">The tenant id.</param>
        /// <returns>The topic.</returns>
        public static string Request(string deviceId, string tenantId)
        {
            return Root + "/" + deviceId + "/" + tenantId + RequestSuffix;
        }

        /// <summary>Returns the topic the agent publishes results and interactive responses to.</summary>
        /// <param name="deviceId">The device id.</param>
        /// <param name="tenantId">The tenant id.</param>
        /// <returns>The topic.</returns>
        public static string Response(string deviceId, string tenantId)
        {
            return Root + "/" + deviceId + "/" + tenantId + "/script/res";
        }

        /// <summary>Returns the topic the agent publishes progress to.</summary>
        /// <param name="deviceId">The device id.</param>
        /// <param name="tenantId">The tenant id.</param>
        /// <returns>The topic.</returns>
        public static string Progress(string deviceId, string tenantId)
        {
            return Root + "/" + deviceId + "/" + tenantId + "/script/progress";
        }

        /// <summary>Returns the tenant of a request topic of this device.</summary>
        /// <param name="deviceId">The device id.</param>
        /// <param name="topic">The topic a message came on.</param>
        /// <returns>The tenant id, or null when the topic is not a request topic of this device.</returns>
        public static string TenantOfRequest(string deviceId, string topic)
        {
            string prefix = Root + "/" + deviceId + "/";
            if (topic == null || !topic.StartsWith(prefix) || !topic.EndsWith(RequestSuffix))
            {
                return null;
            }

            int length = topic.Length - prefix.Length - RequestSuffix.Length;
            if (length < 1)
            {
                return null;
            }

            string tenant = topic.Substring(prefix.Length, length);
            return Tenants.Tenant.IsValidId(tenant) ? tenant : null;
        }
    }
}
