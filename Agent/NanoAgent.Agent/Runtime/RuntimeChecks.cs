using System;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>Start-up checks, broker options and report logging for <see cref="AgentRuntime"/>.</summary>
    internal static class RuntimeChecks
    {
        public static void Validate(AgentConfig config, AgentPlatform platform)
        {
            if (config == null || platform == null)
            {
                throw new ArgumentNullException(config == null ? "config" : "platform");
            }

            if (platform.Link == null || platform.Protocol == null || platform.Clock == null || platform.Random == null || platform.Ciphers == null
                || platform.Mqtt == null || platform.Store == null || platform.Watchdog == null || platform.Log == null)
            {
                throw new ArgumentException("The platform must supply the SE link and protocol, clock, random source, ciphers, MQTT factory, store, watchdog and log.");
            }

            if (config.DeviceId == null || config.BrokerHost == null)
            {
                throw new AgentConfigException(AgentConfigError.Missing, 0, "the device id and the broker host are required");
            }

            for (int i = 0; i < config.SensorCount; i++)
            {
                string id = config.SensorIdAt(i);
                if (platform.FindSensor(id) == null)
                {
                    throw new ArgumentException("The configuration names sensor '" + id + "' but the platform has no driver for it.");
                }

                string[] tenants = config.SensorTenantsAt(i);
                for (int t = 0; t < tenants.Length; t++)
                {
                    RequireGate(config, tenants[t], "sensor." + id);
                }
            }

            for (int i = 0; i < config.ActuatorCount; i++)
            {
                string id = config.ActuatorIdAt(i);
                if (platform.FindActuator(id) == null)
                {
                    throw new ArgumentException("The configuration names actuator '" + id + "' but the platform has no driver for it.");
                }

                RequireGate(config, config.ActuatorTenantAt(i), "actuator." + id);
            }
        }

        public static MqttConnectOptions ConnectOptions(AgentConfig config)
        {
            MqttConnectOptions options = new MqttConnectOptions();
            // With a login, the client id is the user name: brokers that bind ids to logins (mosquitto's
            // use_username_as_clientid, the embedded broker with a users file) accept only that (docs/broker-security.md).
            options.ClientId = config.BrokerUser != null && config.BrokerUser.Length > 0 ? config.BrokerUser : "nanoagent-" + config.DeviceId;
            options.UserName = config.BrokerUser;
            options.Password = config.BrokerPassword;
            options.KeepAliveSeconds = config.KeepAliveSeconds;

            // A persistent session: QoS 1 requests sent while the device was offline are delivered when it returns.
            options.CleanSession = false;
            return options;
        }

        public static void LogReport(DiagnosticReport report, IAgentLog log)
        {
            for (int i = 0; i < report.Count; i++)
            {
                DiagnosticFinding f = report[i];
                log.Line("diag " + SeverityText(f.Severity) + " " + f.Check + ": " + f.Message);
            }

            log.Line(report.Passed ? "diag: wiring check passed" : "diag: wiring check FAILED");
        }

        public static string FirstFailure(DiagnosticReport report)
        {
            for (int i = 0; i < report.Count; i++)
            {
                if (report[i].Severity == DiagnosticSeverity.Fail)
                {
                    return report[i].Message;
                }
            }

            return "no answer";
        }

        private static void RequireGate(AgentConfig config, string tenant, string key)
        {
            for (int g = 0; g < config.GateCount; g++)
            {
                if (config.GateTenantAt(g) == tenant)
                {
                    return;
                }
            }

            throw new AgentConfigException(AgentConfigError.BadValue, 0, "'" + key + "' names tenant '" + tenant + "', which has no 'gate." + tenant + "'");
        }

        private static string SeverityText(DiagnosticSeverity severity)
        {
            switch (severity)
            {
                case DiagnosticSeverity.Pass:
                    return "ok";
                case DiagnosticSeverity.Info:
                    return "info";
                case DiagnosticSeverity.Warning:
                    return "warn";
                default:
                    return "FAIL";
            }
        }
    }
}
