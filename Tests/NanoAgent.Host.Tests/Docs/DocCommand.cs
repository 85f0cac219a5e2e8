namespace NanoAgent.Host.Tests.Docs;

/// <summary>One shell command of a document: its text (continuation lines and here-documents included), the line it starts
/// on, and what the document says it gives (<c>#=&gt; exit N "text" ...</c>; exit 0 when nothing is said).</summary>
public sealed record DocCommand(string Text, int Line, int ExpectedExit, IReadOnlyList<string> ExpectedOutput);
