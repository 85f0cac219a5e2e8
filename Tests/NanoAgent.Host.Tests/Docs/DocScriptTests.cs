using NanoAgent.Host.Tests.Docs;

namespace NanoAgent.Host.Tests.Docs;

/// <summary>The walkthrough's conventions: which blocks run, how commands split, what a <c>#=&gt;</c> comment claims.</summary>
public class DocScriptTests
{
    [Fact]
    public void Parse_ShBlocksOnly_ContinuationsHereDocumentsAndClaims()
    {
        const string Markdown = """
            Text.

            ```text
            not run
            ```

            ```sh
            # a comment line is not a command
            PORT=${PORT:-1883}
            nanoagent backend run s.apdu \
                --tenant acme   #=> exit 1 "not authenticated" "refused"
            cat > tenants.txt <<'EOF'   #=> exit 0
            owner A000000151000000 0
            # inside the here-document
            EOF

            echo done   #=> "done"
            ```
            """;

        IReadOnlyList<DocCommand> commands = DocScript.Parse(Markdown);

        Assert.Equal(4, commands.Count);
        Assert.Equal(("PORT=${PORT:-1883}", 9, 0), (commands[0].Text, commands[0].Line, commands[0].ExpectedExit));
        Assert.Equal((1, 2), (commands[1].ExpectedExit, commands[1].ExpectedOutput.Count));
        Assert.Equal(["not authenticated", "refused"], commands[1].ExpectedOutput);
        Assert.EndsWith("EOF", commands[2].Text);
        Assert.Contains("# inside the here-document", commands[2].Text);
        Assert.Equal(["done"], commands[3].ExpectedOutput);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    [Fact]
    public void ShellSession_CarriesVariablesAndFolders_AndReportsExitCodes()
    {
        using var dir = new TempDir();
        using var shell = new ShellSession(dir.Path, new Dictionary<string, string> { ["GREETING"] = "hi" });
        Assert.Equal(0, shell.Run("mkdir sub && cd sub", TimeSpan.FromSeconds(10)).Exit);
        Assert.Equal(0, shell.Run("X=$GREETING-there", TimeSpan.FromSeconds(10)).Exit);
        Assert.Equal((0, "hi-there " + Path.Combine(dir.Path, "sub") + "\n"), shell.Run("echo $X $PWD", TimeSpan.FromSeconds(10)));
        Assert.Equal(3, shell.Run("sh -c 'exit 3'", TimeSpan.FromSeconds(10)).Exit);
        Assert.Contains("Usage", shell.Run("nanoagent --help", TimeSpan.FromSeconds(60)).Output, StringComparison.OrdinalIgnoreCase);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    [Theory]
    [InlineData("```sh\necho one\nsh -c 'exit 4'\n```\n", "doc.md:3: `sh -c 'exit 4'` exited 4, expected 0")]
    [InlineData("```sh\necho one   #=> exit 1\n```\n", "doc.md:2: `echo one   #=> exit 1` exited 0, expected 1")]
    [InlineData("```sh\necho one   #=> \"two\"\n```\n", "doc.md:2: the output lacks \"two\"")]
    public void RunAll_ADocumentThatIsNotTrue_FailsNamingItsLine(string markdown, string message)
    {
        using var dir = new TempDir();
        var e = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => DocRunner.RunAll("doc.md", markdown, dir.Path, new Dictionary<string, string>(), TimeSpan.FromSeconds(10)));
        Assert.Contains(message, e.Message);
    }
}
