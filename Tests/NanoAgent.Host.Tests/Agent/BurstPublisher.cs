using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Service;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// One tenant's backend that pipelines: publishes N one-step scripts (counters 1..N) at once without waiting for PUBACKs,
/// so the broker's queue toward the agent overflows, then recovers end to end as docs/reliability.md says a sender must:
/// after a quiet spell it sends every unanswered request again, byte for byte; a request answered "replayed counter"
/// was overtaken by a later counter (it never ran: a refused request consumes nothing), so it is issued again under a new
/// id and the next counter. Each logical request ends with exactly one "completed" answer.
/// </summary>
internal sealed class BurstPublisher : IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly (string Id, string Sd, int Channel) _tenant;
    private readonly string _requestTopic;
    private readonly ConcurrentQueue<ScriptResult> _answers = new();
    private readonly Dictionary<string, int> _logicalOf = new();
    private readonly Dictionary<int, byte[]> _current = new();
    private readonly HashSet<int> _done = new();
    private readonly Func<int, ScriptStep>? _stepOf;
    private readonly Dictionary<int, long> _firstSent = new();
    private uint _counter;
    private int _issues;

    /// <param name="broker">The broker.</param>
    /// <param name="tenant">The tenant: id, SD AID and the channel its one-step scripts are written for.</param>
    /// <param name="count">How many logical requests.</param>
    /// <param name="stepOf">The one step of logical request n (1-based); null: GET DATA IIN.</param>
    public BurstPublisher(MqttBrokerAddress broker, (string Id, string Sd, int Channel) tenant, int count, Func<int, ScriptStep>? stepOf = null)
    {
        _tenant = tenant;
        _stepOf = stepOf;
        Count = count;
        _requestTopic = AgentTopics.Request("dev1", tenant.Id);
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _answers.Enqueue(ReportMessageCodec.DecodeResult(e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port).WithClientId("burst-" + tenant.Id).WithCleanSession().Build();
        _client.ConnectAsync(options).GetAwaiter().GetResult();
        _client.SubscribeAsync(AgentTopics.Response("dev1", tenant.Id), MqttQualityOfServiceLevel.AtLeastOnce).GetAwaiter().GetResult();
    }

    public int Count { get; }

    public int Completed => _done.Count;

    /// <summary>Gets how many requests were sent again with the same bytes.</summary>
    public int Resends { get; private set; }

    /// <summary>Gets how many overtaken requests were issued again under a new counter.</summary>
    public int Reissues { get; private set; }

    /// <summary>
    /// Gets, per completed logical request, the script ids that completed (must be one: a re-sent request is answered again
    /// from the agent's store under the same id, which is delivery, not a second application; two ids would be).
    /// </summary>
    public Dictionary<int, HashSet<string>> Completions { get; } = new();

    /// <summary>Gets, per completed logical request, the time from its first publish to its first "completed" answer.</summary>
    public Dictionary<int, TimeSpan> Latencies { get; } = new();

    /// <summary>Gets, per completed logical request, the response data of its step (when the step asked for it).</summary>
    public Dictionary<int, byte[]?> Data { get; } = new();

    /// <summary>Publishes every request at once (QoS 1, PUBACKs awaited together).</summary>
    public Task BurstAsync() => PublishAsync(Enumerable.Range(1, Count).Select(Issue).ToList());

    /// <summary>
    /// Publishes every publisher's burst at once, then collects the answers until all are in, re-sending what is unanswered
    /// after <paramref name="quiet"/> with no answer; fails the test beyond <paramref name="limit"/> (a bound, not a timing
    /// assertion). Returns the time from the first publish to the last answer.
    /// </summary>
    public static async Task<TimeSpan> RunAllAsync(IReadOnlyList<BurstPublisher> publishers, TimeSpan quiet, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(publishers.Select(p => Task.Run(p.BurstAsync)));
        var silence = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            bool all = true;
            foreach (BurstPublisher p in publishers)
            {
                all &= p.Drain(out bool heard);
                if (heard)
                {
                    silence.Restart();
                }
            }

            if (all)
            {
                return clock.Elapsed;
            }

            Assert.True(clock.Elapsed < limit, $"not every request completed within {limit.TotalSeconds} s: {string.Join(", ", publishers.Select(p => $"{p.Completed}/{p.Count}"))}");
            if (silence.Elapsed > quiet)
            {
                foreach (BurstPublisher p in publishers)
                {
                    p.ResendUnanswered();
                }

                silence.Restart();
            }

            await Task.Delay(50); // polling the answer queues, not timing an assertion
        }
    }

    /// <summary>Takes the answers in; true when every logical request completed.</summary>
    public bool Drain(out bool heard)
    {
        heard = false;
        var overtaken = new List<int>();
        while (_answers.TryDequeue(out ScriptResult? result))
        {
            heard = true;
            if (!_logicalOf.TryGetValue(Encoding.ASCII.GetString(result.ScriptId ?? []), out int logical))
            {
                continue;
            }

            if (result.Outcome == ScriptOutcome.Completed)
            {
                if (!Completions.TryGetValue(logical, out HashSet<string>? ids))
                {
                    Completions[logical] = ids = [];
                }

                ids.Add(Encoding.ASCII.GetString(result.ScriptId!));
                if (_done.Add(logical))
                {
                    Latencies[logical] = System.Diagnostics.Stopwatch.GetElapsedTime(_firstSent[logical]);
                    Data[logical] = result.Steps.Length > 0 ? result.Steps[0].Data : null;
                }
            }
            else if (result.Outcome == ScriptOutcome.Rejected && result.Reason == RejectReason.ReplayedCounter && !_done.Contains(logical)
                && _current[logical] is { } sent && Encoding.ASCII.GetString(result.ScriptId!) == IdOf(sent))
            {
                overtaken.Add(logical);
            }
            else if (result.Outcome != ScriptOutcome.Rejected || result.Reason != RejectReason.ReplayedCounter)
            {
                throw new InvalidOperationException($"{_tenant.Id}: unexpected answer {result.Outcome} {result.Reason} for {Encoding.ASCII.GetString(result.ScriptId ?? [])}");
            }
        }

        if (overtaken.Count > 0)
        {
            Reissues += overtaken.Count;
            PublishAsync(overtaken.Distinct().Order().Select(Issue).ToList()).GetAwaiter().GetResult();
        }

        return _done.Count == Count;
    }

    /// <summary>Sends every unanswered request again with exactly the bytes last sent.</summary>
    public void ResendUnanswered()
    {
        var again = _current.Where(p => !_done.Contains(p.Key)).OrderBy(p => p.Key).Select(p => p.Value).ToList();
        Resends += again.Count;
        PublishAsync(again).GetAwaiter().GetResult();
    }

    public void Dispose() => _client.Dispose();

    private static string IdOf(byte[] request) => Encoding.ASCII.GetString(ScriptMessageCodec.DecodeScriptRequest(request).ScriptId);

    private byte[] Issue(int logical)
    {
        string id = $"{_tenant.Id}-{logical}" + (_current.ContainsKey(logical) ? $"-r{++_issues}" : string.Empty);
        _logicalOf[id] = logical;
        _firstSent.TryAdd(logical, System.Diagnostics.Stopwatch.GetTimestamp());
        byte cla = (byte)(0x80 | _tenant.Channel);
        ScriptStep step = _stepOf?.Invoke(logical) ?? AgentRig.Step($"{cla:X2}CA004200");
        byte[] request = AgentRig.Script(_tenant.Id, ++_counter, id, _tenant.Sd, step);
        _current[logical] = request;
        return request;
    }

    private Task PublishAsync(List<byte[]> requests) => Task.WhenAll(requests.Select(r => _client.PublishAsync(
        new MqttApplicationMessageBuilder().WithTopic(_requestTopic).WithPayload(r).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())));
}
