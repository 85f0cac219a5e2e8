using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("NanoAgent.Device")]
[assembly: AssemblyDescription("nanoAgent firmware: board, SE transport and MQTT wiring for nanoFramework")]
[assembly: AssemblyCompany("nanoAgent")]
[assembly: ComVisible(false)]
