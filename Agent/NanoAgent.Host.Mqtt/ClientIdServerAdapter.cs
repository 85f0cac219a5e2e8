using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Server;

namespace NanoAgent.Host.Mqtt;

/// <summary>The embedded broker's TCP listener, handing each client's channel to the broker as a <see cref="ClientIdChannel"/>.</summary>
internal sealed class ClientIdServerAdapter : IMqttServerAdapter
{
    private readonly IMqttServerAdapter _inner;
    private readonly Func<string?, string> _assign;
    private Func<IMqttChannelAdapter, Task>? _handler;

    /// <summary>Wraps a listener.</summary>
    /// <param name="inner">MQTTnet's listener.</param>
    /// <param name="assign">Makes a client id for a user name (or null).</param>
    internal ClientIdServerAdapter(IMqttServerAdapter inner, Func<string?, string> assign)
    {
        _inner = inner;
        _assign = assign;
    }

    public Func<IMqttChannelAdapter, Task> ClientHandler
    {
        get => _handler!;
        set
        {
            _handler = value;
            _inner.ClientHandler = value == null ? null! : channel => value(new ClientIdChannel(channel, _assign));
        }
    }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger) => _inner.StartAsync(options, logger);

    public Task StopAsync() => _inner.StopAsync();

    public void Dispose() => _inner.Dispose();
}
