using System;
using System.Collections;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// Parses the agent's configuration file (<c>I:\nanoagent.conf</c> on the device). One <c>key = value</c> a line; '#'
    /// at the start of a line makes a comment; strict: an unknown key, a repeated key or a bad value is an error naming the line.
    /// <list type="bullet">
    /// <item><c>device.id</c> (required), <c>board</c>, <c>wifi.ssid</c>, <c>wifi.password</c></item>
    /// <item><c>broker.host</c> (required), <c>broker.port</c> (default 1883, or 8883 with TLS), <c>broker.tls</c>,
    /// <c>broker.user</c>, <c>broker.password</c>, <c>broker.keepalive_s</c></item>
    /// <item><c>tenant = id sdAidHex [maxScriptBytes]</c> (at least one; repeatable; <see cref="TenantRegistry"/>'s form; an old
    /// channel column 0-19 after the AID is ignored)</item>
    /// <item><c>gate.&lt;tenant&gt; = gateAidHex</c>, <c>sensor.&lt;id&gt; = tenant [tenant...]</c>, <c>actuator.&lt;id&gt; = tenant</c> and
    /// their attributes (<see cref="GatingConfig"/>)</item>
    /// <item><c>se.protocol = se05x|gp</c>, <c>platform.keys = path</c> (absent: no platform SCP03)</item>
    /// <item><c>reconnect.min_ms</c>, <c>reconnect.max_ms</c>, <c>se.retry_min_ms</c>, <c>se.retry_max_ms</c>,
    /// <c>publish.period_ms</c>, <c>loop.period_ms</c>, <c>watchdog.offline_ms</c></item>
    /// </list>
    /// </summary>
    public static class AgentConfigParser
    {
        private const int MaxMs = 86400000;

        /// <summary>Parses a configuration text.</summary>
        /// <param name="text">The file's content.</param>
        /// <returns>The configuration.</returns>
        /// <exception cref="AgentConfigException">The text is malformed; <see cref="AgentConfigException.Line"/> says where.</exception>
        public static AgentConfig Parse(string text)
        {
            AgentConfig config = new AgentConfig();
            Hashtable seen = new Hashtable();
            string tenants = string.Empty;
            bool portSet = false;
            ConfigLineReader reader = new ConfigLineReader(text);
            while (reader.Next())
            {
                string key = reader.Key;
                string value = reader.Value;
                int line = reader.Line;
                if (key == "tenant")
                {
                    tenants = tenants + value + "\n";
                    CheckTenants(tenants, line);
                    continue;
                }

                if (seen.Contains(key))
                {
                    throw new AgentConfigException(AgentConfigError.Duplicate, line, "'" + key + "' was already set on line " + seen[key]);
                }

                seen[key] = line;
                if (config.Gating.TryParseLine(key, value, line))
                {
                    continue;
                }

                if (key == "broker.port")
                {
                    config.BrokerPort = ConfigValues.Number(value, line, key, 1, 65535);
                    portSet = true;
                }
                else
                {
                    ParseSetting(config, key, value, line);
                }
            }

            config.TenantsText = tenants;
            Require(config.DeviceId != null, "device.id");
            Require(config.BrokerHost != null, "broker.host");
            Require(tenants.Length > 0, "tenant");
            config.Gating.Validate();
            if (config.BrokerTls && !portSet)
            {
                config.BrokerPort = 8883;
            }

            return config;
        }

        private static void ParseSetting(AgentConfig config, string key, string value, int line)
        {
            if (key == "device.id")
            {
                if (!TlvFields.IsIdent(value, 64))
                {
                    throw ConfigValues.Bad(line, key, "an identifier (A-Z a-z 0-9 . _ -, at most 64)");
                }

                config.DeviceId = value;
            }
            else if (key == "board")
            {
                config.BoardId = NonEmpty(value, line, key);
            }
            else if (key == "wifi.ssid")
            {
                config.WifiSsid = NonEmpty(value, line, key);
            }
            else if (key == "wifi.password")
            {
                config.WifiPassword = value;
            }
            else if (key == "broker.host")
            {
                config.BrokerHost = NonEmpty(value, line, key);
            }
            else if (key == "broker.tls")
            {
                config.BrokerTls = ConfigValues.Flag(value, line, key);
            }
            else if (key == "broker.user")
            {
                config.BrokerUser = NonEmpty(value, line, key);
            }
            else if (key == "broker.password")
            {
                config.BrokerPassword = value;
            }
            else if (key == "broker.keepalive_s")
            {
                config.KeepAliveSeconds = ConfigValues.Number(value, line, key, 5, 65535);
            }
            else if (key == "se.protocol")
            {
                if (value != "se05x" && value != "gp")
                {
                    throw ConfigValues.Bad(line, key, "se05x or gp");
                }

                config.Protocol = value;
            }
            else if (key == "platform.keys")
            {
                config.PlatformKeyFile = NonEmpty(value, line, key);
            }
            else
            {
                ParseTiming(config, key, value, line);
            }
        }

        private static void ParseTiming(AgentConfig config, string key, string value, int line)
        {
            if (key == "reconnect.min_ms")
            {
                config.ReconnectMinMs = ConfigValues.Number(value, line, key, 1, MaxMs);
            }
            else if (key == "reconnect.max_ms")
            {
                config.ReconnectMaxMs = ConfigValues.Number(value, line, key, 1, MaxMs);
            }
            else if (key == "se.retry_min_ms")
            {
                config.SeRetryMinMs = ConfigValues.Number(value, line, key, 1, MaxMs);
            }
            else if (key == "se.retry_max_ms")
            {
                config.SeRetryMaxMs = ConfigValues.Number(value, line, key, 1, MaxMs);
            }
            else if (key == "publish.period_ms")
            {
                config.PublishPeriodMs = ConfigValues.Number(value, line, key, 1000, MaxMs);
            }
            else if (key == "loop.period_ms")
            {
                config.LoopPeriodMs = ConfigValues.Number(value, line, key, 1, 60000);
            }
            else if (key == "watchdog.offline_ms")
            {
                config.OfflineLimitMs = ConfigValues.Number(value, line, key, 1000, MaxMs);
            }
            else
            {
                throw new AgentConfigException(AgentConfigError.UnknownKey, line, "unknown key '" + key + "'");
            }
        }

        private static void CheckTenants(string tenants, int line)
        {
            try
            {
                TenantRegistry.Parse(tenants);
            }
            catch (ArgumentException e)
            {
                throw new AgentConfigException(AgentConfigError.BadValue, line, "tenant: " + e.Message);
            }
        }

        private static void Require(bool present, string key)
        {
            if (!present)
            {
                throw new AgentConfigException(AgentConfigError.Missing, 0, "'" + key + "' is required");
            }
        }

        private static string NonEmpty(string value, int line, string key)
        {
            if (value.Length == 0)
            {
                throw ConfigValues.Bad(line, key, "non-empty");
            }

            return value;
        }
    }
}
