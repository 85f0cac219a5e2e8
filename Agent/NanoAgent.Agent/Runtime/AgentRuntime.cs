using System;
using System.Threading;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Se05x;
using NanoAgent.Agent.Security;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Drivers.Jrcp;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// The whole agent as the firmware runs it, with every decision in portable code: boot-time wiring diagnostics, the SE
    /// link under platform SCP03 (re-opened with back-off after a fault), the script relay and <see cref="AgentService"/>,
    /// the gated sensors and actuators, broker reconnects with back-off, and the watchdog, fed only while the loop is healthy.
    /// One <see cref="Step"/> is one loop iteration (tests drive it with a virtual clock); <see cref="Run"/> loops it.
    /// The relay does not start until the SE has answered once: the agent never accepts scripts it cannot deliver.
    /// </summary>
    public sealed class AgentRuntime
    {
        /// <summary>Consecutive failed iterations after which the watchdog is no longer fed.</summary>
        public const int MaxConsecutiveFaults = 3;

        private readonly AgentConfig _config;
        private readonly AgentPlatform _platform;
        private readonly IAgentLog _log;
        private readonly IClock _clock;
        private readonly TenantRegistry _tenants;
        private readonly RuntimeSeLink _se;
        private readonly ReconnectBackoff _seBackoff;
        private ScriptRelay _relay;
        private AgentService _service;
        private RuntimeGating _gating;
        private RuntimeBroker _broker;
        private SecurityLog _security;
        private long _nextSeAttempt;
        private long _seDownSince;
        private bool _diagnosed;
        private bool _starving;
        private int _consecutiveFaults;
        // No 'volatile': nanoFramework's mscorlib lacks IsVolatile. A lock orders the flag between threads instead.
        private readonly object _stopGate = new object();
        private bool _stopped;

        private AgentRuntime(AgentConfig config, AgentPlatform platform, TenantRegistry tenants, Scp03StaticKeys keys)
        {
            _config = config;
            _platform = platform;
            _log = platform.Log;
            _clock = platform.Clock;
            _tenants = tenants;
            _se = new RuntimeSeLink(platform, keys);
            SeLock = new SeAccessLock(_clock);
            _seBackoff = new ReconnectBackoff(config.SeRetryMinMs, config.SeRetryMaxMs);
            _seDownSince = _clock.Milliseconds;
        }

        /// <summary>
        /// Gets the lock on the SE: each loop iteration holds it while it uses the SE (opening, relay runs, gates), so a
        /// <see cref="BoardLink"/> lending the SE never slips an APDU into a relay run.
        /// </summary>
        public SeAccessLock SeLock { get; private set; }

        /// <summary>Creates the board link that lends this runtime's SE on a serial port; run it on a thread of its own.</summary>
        /// <param name="channel">The serial port.</param>
        /// <returns>The board link.</returns>
        public BoardLink CreateBoardLink(IJrcpChannel channel)
        {
            return new BoardLink(channel, new RuntimeLentSe(_se), SeLock, _clock, _log);
        }

        /// <summary>Gets a value indicating whether the SE link is open (and platform SCP03 authenticated, when configured).</summary>
        public bool IsSeUp
        {
            get { return _se.IsUp; }
        }

        /// <summary>Gets a value indicating whether the relay exists (the SE answered at least once).</summary>
        public bool IsRelayStarted
        {
            get { return _relay != null; }
        }

        /// <summary>Gets a value indicating whether the broker is connected and the agent's topics are subscribed.</summary>
        public bool IsBrokerReady
        {
            get { return _broker != null && _broker.IsReady; }
        }

        /// <summary>Gets the security events log (refused requests and commands, guard trips, broker refusals), or null until the relay starts.</summary>
        public SecurityLog SecurityLog
        {
            get { return _security; }
        }

        /// <summary>Gets the number of loop iterations that ended in an unexpected error (each was logged).</summary>
        public int Faults { get; private set; }

        /// <summary>Gets the number of signed readings published since start.</summary>
        public int ReadingsPublished { get; private set; }

        /// <summary>Checks the configuration against the platform and runs the first iteration (boot diagnostics).</summary>
        /// <param name="config">The configuration.</param>
        /// <param name="platform">The platform's pieces.</param>
        /// <returns>The runtime; call <see cref="Run"/> or <see cref="Step"/>.</returns>
        /// <exception cref="ArgumentException">A required platform piece, or a sensor or actuator driver the configuration names, is missing.</exception>
        /// <exception cref="AgentConfigException">The tenants, gates or platform key text are inconsistent or malformed.</exception>
        public static AgentRuntime Start(AgentConfig config, AgentPlatform platform)
        {
            RuntimeChecks.Validate(config, platform);
            TenantRegistry tenants = TenantRegistry.Parse(config.TenantsText);
            Scp03StaticKeys keys = platform.PlatformKeyText == null ? null : PlatformKeyText.Parse(platform.PlatformKeyText, platform.Ciphers, platform.MaxAesKeyLength);
            AgentRuntime runtime = new AgentRuntime(config, platform, tenants, keys);
            runtime._log.Line("nanoagent " + config.DeviceId + " starting: " + tenants.Count + " tenant(s), " + config.GateCount + " gate(s), SE protocol "
                + config.Protocol + (keys == null ? ", platform SCP03 off" : ", platform SCP03 keys " + keys.ToString()));
            runtime.Step();
            return runtime;
        }

        /// <summary>Runs one loop iteration: SE, broker, requests, actuations, readings; then feeds the watchdog if healthy.</summary>
        /// <returns>True when the loop is healthy (the watchdog was fed).</returns>
        public bool Step()
        {
            try
            {
                if (!_se.IsUp)
                {
                    SeLock.TryEnter(this, Timeout.Infinite);
                    try
                    {
                        StepSe();
                    }
                    finally
                    {
                        SeLock.Exit(this);
                    }
                }

                if (_broker != null)
                {
                    _broker.Step();
                }

                if (_relay != null && _se.IsUp && IsBrokerReady)
                {
                    // A lab LOCK is bounded (BoardLink: idle and total limits), so this wait is too.
                    SeLock.TryEnter(this, Timeout.Infinite);
                    try
                    {
                        StepWork();
                    }
                    finally
                    {
                        SeLock.Exit(this);
                    }
                }

                _consecutiveFaults = 0;
            }
            catch (MqttConnectionException e)
            {
                // The link dropped mid-iteration: the next iteration reconnects. Not a fault of the loop.
                _log.Line("broker: " + e.Message);
            }
            catch (Exception e)
            {
                // A block-protocol or secure-channel failure on the SE link marked the link down: it is re-opened, not a
                // fault of the loop. Anything else (a sensor driver, a bug) counts towards starving the watchdog.
                if (_se.IsUp || !(e is BlockProtocolException || e is SecureChannelException))
                {
                    Faults++;
                    _consecutiveFaults++;
                    _log.Line("agent error: " + e.GetType().Name + ": " + e.Message);
                }
            }

            if (!_se.IsUp && _seDownSince < 0)
            {
                _seDownSince = _clock.Milliseconds;
                _log.Line("SE link fault (" + _se.LastError + "): re-opening");
            }

            return FeedIfHealthy();
        }

        private bool IsStopped()
        {
            lock (_stopGate)
            {
                return _stopped;
            }
        }

        /// <summary>Loops <see cref="Step"/> with <see cref="AgentConfig.LoopPeriodMs"/> pauses until <see cref="Stop"/>.</summary>
        public void Run()
        {
            while (!IsStopped())
            {
                Step();
                _clock.Sleep(_config.LoopPeriodMs);
            }
        }

        /// <summary>
        /// Stops the loop, announces "offline", disconnects and closes the SE link. Call it from the loop's thread, or after
        /// <see cref="Run"/> returned: it does not wait for an iteration in progress on another thread.
        /// </summary>
        public void Stop()
        {
            lock (_stopGate)
            {
                _stopped = true;
            }

            if (_broker != null)
            {
                _broker.Stop();
            }

            SeLock.TryEnter(this, Timeout.Infinite);
            try
            {
                _se.Close();
            }
            finally
            {
                SeLock.Exit(this);
            }

            _log.Line("nanoagent stopped");
        }

        private void StepSe()
        {
            if (_clock.Milliseconds < _nextSeAttempt)
            {
                return;
            }

            DiagnosticReport report = _se.Diagnose();
            if (!_diagnosed || report.Passed)
            {
                RuntimeChecks.LogReport(report, _log);
            }

            _diagnosed = true;
            if (report.Passed && _se.TryOpen())
            {
                _log.Line("SE up: " + _se.Description);
                _seBackoff.Reset();
                _seDownSince = -1;
                _nextSeAttempt = 0;
                if (_relay == null)
                {
                    BuildAgent();
                }

                return;
            }

            int delay = _seBackoff.NextDelay();
            _nextSeAttempt = _clock.Milliseconds + delay;
            string why = report.Passed ? _se.LastError : RuntimeChecks.FirstFailure(report);
            _log.Line("SE unreachable (" + why + "): " + (_relay == null ? "relay not started, " : string.Empty) + "retry in " + delay + " ms");
        }

        private void BuildAgent()
        {
            RelayOptions options = new RelayOptions();

            // GP Amd D §6.2.4: a wrapped command must still fit a short APDU, so the relay refuses longer steps up front.
            options.MaxCommandData = _se.MaxCommandData;
            IRequestVerifier gp = null;
            IRequestVerifier se05x = null;
            int[] openable = new int[0];
            Se05xApplet applet = null;
            if (_config.Gating.Card == GateCard.Se05x || HasSe05xTenant())
            {
                // NXP's IoT applet (docs/se05x.md): extended APDUs up to the applet's payload limit, sessions instead of channels.
                applet = new Se05xApplet(_se, _se.MaxExtendedCommandData, _se.PlatformScpOn);
                ushort selected;
                try
                {
                    selected = applet.EnsureSelected();
                }
                catch (Exception e)
                {
                    // No exception filter (support on the nanoFramework runtime is unconfirmed). The relay selects again later.
                    if (!ScriptRelay.IsLinkFault(e))
                    {
                        throw;
                    }

                    selected = 0x6F00;
                }

                _log.Line(selected == 0x9000
                    ? "SE05x IoT applet " + applet.Version.Major + "." + applet.Version.Minor + "." + applet.Version.Patch + ", " + applet.MaxCommandData + " bytes per command"
                    : "SE05x IoT applet not selectable (SW " + selected.ToString("X4") + ")");
                options.MaxCommandData = applet.MaxCommandData;
                options.MaxResponseData = Se05xApplet.Payload7;
                se05x = new Se05xRequestVerifier(applet, _config.DeviceId, _clock, Se05xRequestVerifier.DefaultStreamsPerDay, Se05xRequestVerifier.DefaultStreamBurst);
            }

            if (applet == null || HasGpTenant())
            {
                // Sessions take the channels the SE opens, one left for the request verifier (docs/protocol.md §4.3); an SE05x
                // gives the relay applet sessions instead (§4.6), on its basic channel.
                openable = ChannelProbe.OpenableChannels(_se);
                options.SessionChannels = ChannelProbe.SessionChannels(openable, LogicalChannel.MaxChannel);
                gp = new SeRequestVerifier(_se, _config.DeviceId, _se.MaxCommandData);
            }

            _security = new SecurityLog(new SecurityLogSink(_log), _clock, _config.DeviceId, SecurityLog.DefaultLinesPerWindow);
            _relay = new ScriptRelay(_tenants, _platform.Store, _se, _clock, options, new CardRequestVerifier(gp, se05x), applet);
            _relay.SecurityLog = _security;
            SwappableMqttConnection mqtt = new SwappableMqttConnection(_platform.Mqtt);
            IMqttConnection watched = new SecurityWatchConnection(mqtt, _security);
            _service = new AgentService(watched, _tenants, _relay, _config.DeviceId);
            if (_config.GateCount > 0)
            {
                _gating = new RuntimeGating(_config, _platform, watched, _se, applet, _security);
            }

            _broker = new RuntimeBroker(_config, _log, _clock, mqtt, _service, _gating);

            _log.Line("relay started for " + _tenants.Count + " tenant(s): " + (applet != null
                ? "the SE05x applet holds " + options.Se05xSessions + " session(s) at once"
                : "the SE opens " + openable.Length + " supplementary logical channel(s), " + options.SessionChannels.Length + " for sessions at once"));
        }

        private bool HasSe05xTenant()
        {
            Tenant[] all = _tenants.All();
            for (int i = 0; i < all.Length; i++)
            {
                if (all[i].IsSe05x)
                {
                    return true;
                }
            }

            return false;
        }

        private bool HasGpTenant()
        {
            Tenant[] all = _tenants.All();
            for (int i = 0; i < all.Length; i++)
            {
                if (!all[i].IsSe05x)
                {
                    return true;
                }
            }

            return false;
        }

        private void StepWork()
        {
            _service.ProcessInbound();
            _security.Flush();
            if (_gating == null || !_se.IsUp)
            {
                return;
            }

            _gating.ProcessActuations();
            int published = _gating.PublishDue(_clock.Milliseconds);
            if (published > 0 || _gating.LastFailures > 0)
            {
                ReadingsPublished += published;
                _log.Line(published + " signed reading(s) published"
                    + (_gating.LastFailures > 0 ? ", " + _gating.LastFailures + " not published (no value, or refused by the SE: last SW " + _gating.LastStatusWord.ToString("X4") + ")" : string.Empty));
            }
        }

        private bool FeedIfHealthy()
        {
            long now = _clock.Milliseconds;
            string stuck = null;
            if (_consecutiveFaults >= MaxConsecutiveFaults)
            {
                stuck = _consecutiveFaults + " failed iterations in a row";
            }
            else if (_seDownSince >= 0 && now - _seDownSince > _config.OfflineLimitMs)
            {
                stuck = "the SE has been unreachable for " + (now - _seDownSince) + " ms";
            }
            else if (_broker != null && _broker.DownSince >= 0 && now - _broker.DownSince > _config.OfflineLimitMs)
            {
                stuck = "the broker has been unreachable for " + (now - _broker.DownSince) + " ms";
            }

            if (stuck == null)
            {
                _starving = false;
                _platform.Watchdog.Feed();
                return true;
            }

            if (!_starving)
            {
                _starving = true;
                _log.Line("watchdog: no longer fed (" + stuck + "): the board reboots when it expires");
            }

            return false;
        }
    }
}
