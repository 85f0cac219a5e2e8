using NanoAgent.Agent.Messages;

namespace NanoAgent.Agent.Gating
{
    /// <summary>The gating topics (docs/gating.md §Topics): <c>nanoagent/{device}/{tenant}/reading/{sensor}</c>, <c>…/actuate/req</c>,
    /// <c>…/actuate/res</c>, and for attested reads through an SE05x's I2C controller <c>…/attest/req</c>, <c>…/attest/res</c>.</summary>
    public static class GateTopics
    {
        /// <summary>The topic a tenant's signed readings of a sensor are published to (QoS 1).</summary>
        /// <param name="device">Device id.</param>
        /// <param name="tenant">Tenant id.</param>
        /// <param name="sensor">Sensor id.</param>
        /// <returns>The topic.</returns>
        public static string Reading(string device, string tenant, string sensor)
        {
            return "nanoagent/" + device + "/" + tenant + "/reading/" + sensor;
        }

        /// <summary>The topic a tenant's backend sends actuate requests to.</summary>
        /// <param name="device">Device id.</param>
        /// <param name="tenant">Tenant id.</param>
        /// <returns>The topic.</returns>
        public static string ActuateRequest(string device, string tenant)
        {
            return "nanoagent/" + device + "/" + tenant + "/actuate/req";
        }

        /// <summary>The topic the agent answers actuate requests on.</summary>
        /// <param name="device">Device id.</param>
        /// <param name="tenant">Tenant id.</param>
        /// <returns>The topic.</returns>
        public static string ActuateResponse(string device, string tenant)
        {
            return "nanoagent/" + device + "/" + tenant + "/actuate/res";
        }

        /// <summary>Builds the filter matching every tenant's actuate request topic of a device.</summary>
        /// <param name="device">The device id.</param>
        /// <returns><c>nanoagent/{device}/+/actuate/req</c>.</returns>
        public static string AnyActuateRequest(string device)
        {
            return "nanoagent/" + device + "/+/actuate/req";
        }

        /// <summary>The topic a tenant's backend asks for an attested read on (docs/se05x.md "Attested reads").</summary>
        /// <param name="device">Device id.</param>
        /// <param name="tenant">Tenant id.</param>
        /// <returns>The topic.</returns>
        public static string AttestRequest(string device, string tenant)
        {
            return "nanoagent/" + device + "/" + tenant + "/attest/req";
        }

        /// <summary>The topic the agent answers attested reads on.</summary>
        /// <param name="device">Device id.</param>
        /// <param name="tenant">Tenant id.</param>
        /// <returns>The topic.</returns>
        public static string AttestResponse(string device, string tenant)
        {
            return "nanoagent/" + device + "/" + tenant + "/attest/res";
        }

        /// <summary>Builds the filter matching every tenant's attest request topic of a device.</summary>
        /// <param name="device">The device id.</param>
        /// <returns><c>nanoagent/{device}/+/attest/req</c>.</returns>
        public static string AnyAttestRequest(string device)
        {
            return "nanoagent/" + device + "/+/attest/req";
        }

        /// <summary>Extracts the tenant of an attest request topic of this device.</summary>
        /// <param name="topic">The topic.</param>
        /// <param name="device">This device's id.</param>
        /// <returns>The tenant, or null when the topic is not an attest request for this device.</returns>
        public static string TenantOfAttestRequest(string topic, string device)
        {
            return TenantOf(topic, device, "attest");
        }

        /// <summary>Extracts the tenant of an actuate request topic of this device.</summary>
        /// <param name="topic">The topic.</param>
        /// <param name="device">This device's id.</param>
        /// <returns>The tenant, or null when the topic is not an actuate request for this device.</returns>
        public static string TenantOfActuateRequest(string topic, string device)
        {
            return TenantOf(topic, device, "actuate");
        }

        private static string TenantOf(string topic, string device, string kind)
        {
            if (topic == null)
            {
                return null;
            }

            string[] parts = topic.Split('/');
            if (parts.Length != 5 || parts[0] != "nanoagent" || parts[1] != device || !TlvFields.IsIdent(parts[2], 32)
                || parts[3] != kind || parts[4] != "req")
            {
                return null;
            }

            return parts[2];
        }
    }
}
