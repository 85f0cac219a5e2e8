using System.Collections;
using System.Text;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Messages;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// The gated part of an agent's configuration (docs/gating.md): each tenant's gate AID, the sensors whose readings the
    /// gates sign and the actuators they guard. Lines, in the configuration file's <c>key = value</c> form:
    /// <list type="bullet">
    /// <item><c>se.card = gp | se05x</c>: the card holding the gates (default gp: nanoAgent's gate applet; se05x: NXP's IoT
    /// applet only, docs/se05x.md)</item>
    /// <item><c>gate.&lt;tenant&gt; = gateAidHex</c> (gp), or <c>gate.&lt;tenant&gt; = gateLabelHex authObjectHex</c> (se05x: the
    /// label bound into every MAC, then the tenant's authentication object, the start of its object block)</item>
    /// <item><c>sensor.&lt;id&gt; = tenant [tenant...]</c>, then optionally <c>sensor.&lt;id&gt;.source = meter [energy|voltage] | bme280 |
    /// command &lt;command line&gt;</c>, <c>sensor.&lt;id&gt;.unit = text</c>, <c>sensor.&lt;id&gt;.interval_s = 1..86400</c></item>
    /// <item><c>actuator.&lt;id&gt; = tenant</c>, then optionally <c>actuator.&lt;id&gt;.pin = 0..1023</c> or
    /// <c>actuator.&lt;id&gt;.command = &lt;command line&gt;</c></item>
    /// </list>
    /// A sensor or actuator is declared before its attributes; every tenant it names needs a gate line.
    /// </summary>
    public sealed class GatingConfig
    {
        private const int MaxUnitBytes = 16;
        private readonly ArrayList _gates = new ArrayList();
        private readonly ArrayList _sensors = new ArrayList();
        private readonly ArrayList _actuators = new ArrayList();
        private int _cardLine;

        /// <summary>Gets or sets the card holding the gates (<c>se.card</c>).</summary>
        public GateCard Card { get; set; }

        /// <summary>Gets the number of gates.</summary>
        public int GateCount
        {
            get { return _gates.Count; }
        }

        /// <summary>Gets the number of sensors.</summary>
        public int SensorCount
        {
            get { return _sensors.Count; }
        }

        /// <summary>Gets the number of actuators.</summary>
        public int ActuatorCount
        {
            get { return _actuators.Count; }
        }

        /// <summary>Parses a file holding only gating lines (the host's <c>agent --gates FILE</c>); '#' starts a comment line.</summary>
        /// <param name="text">The file's content.</param>
        /// <returns>The configuration.</returns>
        /// <exception cref="AgentConfigException">A line is malformed, repeated or not a gating key, or a tenant has no gate.</exception>
        public static GatingConfig Parse(string text)
        {
            GatingConfig config = new GatingConfig();
            Hashtable seen = new Hashtable();
            ConfigLineReader reader = new ConfigLineReader(text);
            while (reader.Next())
            {
                if (seen.Contains(reader.Key))
                {
                    throw new AgentConfigException(AgentConfigError.Duplicate, reader.Line, "'" + reader.Key + "' was already set on line " + seen[reader.Key]);
                }

                seen[reader.Key] = reader.Line;
                if (!config.TryParseLine(reader.Key, reader.Value, reader.Line))
                {
                    throw new AgentConfigException(AgentConfigError.UnknownKey, reader.Line, "unknown key '" + reader.Key + "' (expected se.card, gate.*, sensor.* or actuator.*)");
                }
            }

            config.Validate();
            return config;
        }

        /// <summary>Adds a tenant's gate applet instance.</summary>
        /// <param name="tenant">The tenant id.</param>
        /// <param name="gateAid">The gate instance AID (5 to 16 bytes).</param>
        public void AddGate(string tenant, byte[] gateAid)
        {
            AddGate(tenant, gateAid, 0, 0);
        }

        /// <summary>Adds a tenant's SE05x gate.</summary>
        /// <param name="tenant">The tenant id.</param>
        /// <param name="gateLabel">The gate label bound into every MAC (5 to 16 bytes).</param>
        /// <param name="authObject">The tenant's authentication object (the start of its SE05x object block).</param>
        public void AddGate(string tenant, byte[] gateLabel, uint authObject)
        {
            AddGate(tenant, gateLabel, authObject, 0);
        }

        /// <summary>Gets a gate's SE05x authentication object, or 0 for a gate applet instance.</summary>
        /// <param name="index">0 to <see cref="GateCount"/> - 1.</param>
        /// <returns>The object id.</returns>
        public uint GateAuthObjectAt(int index)
        {
            return (uint)((object[])_gates[index])[2];
        }

        /// <summary>Gets a gate's tenant.</summary>
        /// <param name="index">0 to <see cref="GateCount"/> - 1.</param>
        /// <returns>The tenant id.</returns>
        public string GateTenantAt(int index)
        {
            return (string)((object[])_gates[index])[0];
        }

        /// <summary>Gets a gate's AID.</summary>
        /// <param name="index">0 to <see cref="GateCount"/> - 1.</param>
        /// <returns>The AID (the stored array: do not change it).</returns>
        public byte[] GateAidAt(int index)
        {
            return (byte[])((object[])_gates[index])[1];
        }

        /// <summary>Adds a sensor.</summary>
        /// <param name="sensor">The sensor.</param>
        public void AddSensor(SensorSpec sensor)
        {
            _sensors.Add(sensor);
        }

        /// <summary>Gets a sensor.</summary>
        /// <param name="index">0 to <see cref="SensorCount"/> - 1.</param>
        /// <returns>The sensor.</returns>
        public SensorSpec SensorAt(int index)
        {
            return (SensorSpec)_sensors[index];
        }

        /// <summary>Adds an actuator.</summary>
        /// <param name="actuator">The actuator.</param>
        public void AddActuator(ActuatorSpec actuator)
        {
            _actuators.Add(actuator);
        }

        /// <summary>Gets an actuator.</summary>
        /// <param name="index">0 to <see cref="ActuatorCount"/> - 1.</param>
        /// <returns>The actuator.</returns>
        public ActuatorSpec ActuatorAt(int index)
        {
            return (ActuatorSpec)_actuators[index];
        }

        /// <summary>Checks that every tenant a sensor or actuator names has a gate, and that every gate has the form of the card.</summary>
        /// <exception cref="AgentConfigException">A tenant has no gate, or a gate line does not fit <c>se.card</c>; the error
        /// names the line.</exception>
        public void Validate()
        {
            for (int g = 0; g < _gates.Count; g++)
            {
                bool se05x = GateAuthObjectAt(g) != 0;
                if (se05x != (Card == GateCard.Se05x))
                {
                    int line = (int)((object[])_gates[g])[3];
                    throw new AgentConfigException(AgentConfigError.BadValue, line, "'gate." + GateTenantAt(g) + "': "
                        + (Card == GateCard.Se05x
                            ? "with se.card = se05x a gate is 'labelHex authObjectHex' (e.g. F06E616E6F47410A 7A0A0000)"
                            : "a gate of the gate applet is its AID alone; 'labelHex authObjectHex' needs 'se.card = se05x'" + (_cardLine > 0 ? string.Empty : " (no se.card line)")));
                }
            }

            for (int i = 0; i < _sensors.Count; i++)
            {
                SensorSpec s = SensorAt(i);
                for (int t = 0; t < s.Tenants.Length; t++)
                {
                    RequireGate(s.Tenants[t], "sensor." + s.Id, s.Line);
                }

                if (s.Source == SensorSource.Attested && Card != GateCard.Se05x)
                {
                    throw new AgentConfigException(AgentConfigError.BadValue, s.Line, "'sensor." + s.Id + "' is attested: only an SE05x reads sensors on its own I2C bus (se.card = se05x)");
                }
            }

            for (int i = 0; i < _actuators.Count; i++)
            {
                ActuatorSpec a = ActuatorAt(i);
                RequireGate(a.Tenant, "actuator." + a.Id, a.Line);
            }
        }

        /// <summary>Takes one <c>gate.*</c>, <c>sensor.*</c> or <c>actuator.*</c> line.</summary>
        /// <returns>False when the key is none of these (the caller decides whether that is an error).</returns>
        internal bool TryParseLine(string key, string value, int line)
        {
            if (key == "se.card")
            {
                if (value != "gp" && value != "se05x")
                {
                    throw ConfigValues.Bad(line, key, "gp or se05x");
                }

                Card = value == "se05x" ? GateCard.Se05x : GateCard.GateApplet;
                _cardLine = line;
                return true;
            }

            if (StartsWith(key, "gate."))
            {
                string tenant = Name(key, 5, line);
                int space = value.IndexOf(' ');
                if (space < 0)
                {
                    AddGate(tenant, ConfigValues.Hex(value, line, key, 5, 16), 0, line);
                    return true;
                }

                byte[] label = ConfigValues.Hex(value.Substring(0, space), line, key, 5, 16);
                byte[] id = ConfigValues.Hex(value.Substring(space + 1).Trim(), line, key, 4, 4);
                uint auth = ((uint)id[0] << 24) | ((uint)id[1] << 16) | ((uint)id[2] << 8) | id[3];
                if (!Drivers.Lifecycle.Se05xTenantLayout.IsValidAuthObject(auth))
                {
                    throw ConfigValues.Bad(line, key, "a gate label, then an SE05x authentication object id that ends in 00 (e.g. 7A0A0000)");
                }

                AddGate(tenant, label, auth, line);
                return true;
            }

            if (StartsWith(key, "sensor."))
            {
                ParseSensor(key, key.Substring(7), value, line);
                return true;
            }

            if (StartsWith(key, "actuator."))
            {
                ParseActuator(key, key.Substring(9), value, line);
                return true;
            }

            return false;
        }

        private void ParseSensor(string key, string rest, string value, int line)
        {
            int dot = rest.LastIndexOf('.');
            string attribute = dot > 0 ? rest.Substring(dot + 1) : null;
            if (attribute != "source" && attribute != "unit" && attribute != "interval_s")
            {
                string[] tenants = Tenants(key, value, line);
                if (tenants.Length == 0)
                {
                    throw ConfigValues.Bad(line, key, "one or more tenant ids");
                }

                AddSensor(new SensorSpec(Name(key, 7, line), tenants, line));
                return;
            }

            SensorSpec s = FindSensor(rest.Substring(0, dot));
            if (s == null)
            {
                throw new AgentConfigException(AgentConfigError.Syntax, line, "'" + key + "': declare 'sensor." + rest.Substring(0, dot) + " = tenant' first");
            }

            if (attribute == "unit")
            {
                if (value.Length == 0 || Encoding.UTF8.GetBytes(value).Length > MaxUnitBytes)
                {
                    throw ConfigValues.Bad(line, key, "a unit of 1 to 16 bytes (UTF-8)");
                }

                s.Unit = value;
            }
            else if (attribute == "interval_s")
            {
                s.IntervalMs = ConfigValues.Number(value, line, key, 1, 86400) * 1000;
            }
            else
            {
                ParseSource(s, key, value, line);
            }
        }

        private static void ParseSource(SensorSpec s, string key, string value, int line)
        {
            int space = value.IndexOf(' ');
            string kind = space < 0 ? value : value.Substring(0, space);
            string argument = space < 0 ? string.Empty : value.Substring(space + 1).Trim();
            if (kind == "meter" && (argument.Length == 0 || argument == "energy" || argument == "voltage"))
            {
                s.Source = SensorSource.Meter;
                s.SourceArgument = argument.Length == 0 ? "energy" : argument;
            }
            else if (kind == "bme280" && argument.Length == 0)
            {
                s.Source = SensorSource.Bme280;
            }
            else if (kind == "command" && argument.Length > 0)
            {
                s.Source = SensorSource.Command;
                s.SourceArgument = argument;
            }
            else if (kind == "attested")
            {
                ParseAttested(s, key, argument, line);
            }
            else
            {
                throw ConfigValues.Bad(line, key, "'meter [energy|voltage]', 'bme280', 'command <command line>' or 'attested <addrHex> <writeHex> <length>'");
            }
        }

        // attested <addrHex> <writeHex> <length>: e.g. "attested 44 01 2" reads two bytes from register 01 of the sensor at 0x44.
        private static void ParseAttested(SensorSpec s, string key, string argument, int line)
        {
            string[] words = argument.Split(' ');
            if (words.Length != 3)
            {
                throw ConfigValues.Bad(line, key, "'attested <addrHex> <writeHex> <length>', e.g. 'attested 44 01 2'");
            }

            byte[] address = ConfigValues.Hex(words[0], line, key, 1, 1);
            if (address[0] < 0x08 || address[0] > 0x77)
            {
                throw ConfigValues.Bad(line, key, "a 7-bit I2C address from 08 to 77");
            }

            s.Source = SensorSource.Attested;
            s.I2cAddress = address[0];
            s.I2cWrite = ConfigValues.Hex(words[1], line, key, 1, 32);
            s.I2cReadLength = ConfigValues.Number(words[2], line, key, 1, 255);
        }

        private void ParseActuator(string key, string rest, string value, int line)
        {
            int dot = rest.LastIndexOf('.');
            string attribute = dot > 0 ? rest.Substring(dot + 1) : null;
            if (attribute != "pin" && attribute != "command")
            {
                string[] tenants = Tenants(key, value, line);
                if (tenants.Length != 1)
                {
                    throw ConfigValues.Bad(line, key, "one tenant id");
                }

                AddActuator(new ActuatorSpec(Name(key, 9, line), tenants[0], line));
                return;
            }

            ActuatorSpec a = FindActuator(rest.Substring(0, dot));
            if (a == null)
            {
                throw new AgentConfigException(AgentConfigError.Syntax, line, "'" + key + "': declare 'actuator." + rest.Substring(0, dot) + " = tenant' first");
            }

            if (a.Drive != ActuatorDrive.Platform)
            {
                throw new AgentConfigException(AgentConfigError.BadValue, line, "'" + key + "': actuator '" + a.Id + "' already has a pin or a command");
            }

            if (attribute == "pin")
            {
                a.Pin = ConfigValues.Number(value, line, key, 0, 1023);
                a.Drive = ActuatorDrive.Pin;
            }
            else if (value.Length == 0)
            {
                throw ConfigValues.Bad(line, key, "a command line");
            }
            else
            {
                a.Command = value;
                a.Drive = ActuatorDrive.Command;
            }
        }

        private void AddGate(string tenant, byte[] aid, uint authObject, int line)
        {
            _gates.Add(new object[] { tenant, aid, authObject, line });
        }

        private SensorSpec FindSensor(string id)
        {
            for (int i = 0; i < _sensors.Count; i++)
            {
                if (SensorAt(i).Id == id)
                {
                    return SensorAt(i);
                }
            }

            return null;
        }

        private ActuatorSpec FindActuator(string id)
        {
            for (int i = 0; i < _actuators.Count; i++)
            {
                if (ActuatorAt(i).Id == id)
                {
                    return ActuatorAt(i);
                }
            }

            return null;
        }

        private void RequireGate(string tenant, string key, int line)
        {
            for (int g = 0; g < _gates.Count; g++)
            {
                if (GateTenantAt(g) == tenant)
                {
                    return;
                }
            }

            throw new AgentConfigException(AgentConfigError.BadValue, line, "'" + key + "' names tenant '" + tenant + "', which has no 'gate." + tenant + "'");
        }

        private static string Name(string key, int prefixLength, int line)
        {
            string name = key.Substring(prefixLength);
            if (!TlvFields.IsIdent(name, 64))
            {
                throw new AgentConfigException(AgentConfigError.Syntax, line, "'" + key + "' needs an identifier after the dot");
            }

            return name;
        }

        private static string[] Tenants(string key, string value, int line)
        {
            ArrayList words = new ArrayList();
            string[] parts = value.Split(' ', '\t', ',');
            for (int i = 0; i < parts.Length; i++)
            {
                if (parts[i].Length == 0)
                {
                    continue;
                }

                if (!TlvFields.IsIdent(parts[i], 64))
                {
                    throw ConfigValues.Bad(line, key, "tenant ids");
                }

                words.Add(parts[i]);
            }

            string[] result = new string[words.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (string)words[i];
            }

            return result;
        }

        private static bool StartsWith(string text, string prefix)
        {
            return text.Length > prefix.Length && text.Substring(0, prefix.Length) == prefix;
        }
    }
}
