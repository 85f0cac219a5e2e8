namespace NanoAgent.Host;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.WriteLine("nanoagent");
        return 0;
    }
}
