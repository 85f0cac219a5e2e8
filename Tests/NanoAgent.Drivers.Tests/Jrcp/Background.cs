namespace NanoAgent.Drivers.Tests.Jrcp;

/// <summary>Runs a function on its own thread (the code under test blocks; xUnit's analyzers keep Task waits out of tests).</summary>
public sealed class Background<T>
{
    private readonly ManualResetEventSlim _done = new();
    private T _result = default!;
    private Exception? _error;

    public Background(Func<T> body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                _result = body();
            }
            catch (Exception e)
            {
                _error = e;
            }
            finally
            {
                _done.Set();
            }
        }) { IsBackground = true };
        thread.Start();
    }

    public bool IsCompleted => _done.IsSet;

    public T Result
    {
        get
        {
            Assert.True(_done.Wait(10_000), "the background call did not end");
            if (_error is not null)
            {
                throw new InvalidOperationException("the background call threw", _error);
            }

            return _result;
        }
    }

    public bool Wait(int ms) => _done.Wait(ms);
}
