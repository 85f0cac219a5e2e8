namespace NanoAgent.Drivers.Se05x
{
    /// <summary>Why the SE05x applet layer gave up: the response cannot be trusted or the call was wrong.</summary>
    public enum Se05xError
    {
        /// <summary>The response has fewer than two bytes.</summary>
        ResponseTooShort = 1,

        /// <summary>A 9000 response whose data does not have the layout AN12413 gives for the command.</summary>
        MalformedResponse = 2,

        /// <summary>An argument is out of range (object id 0, key length, counter size, buffer too small).</summary>
        InvalidArgument = 3,

        /// <summary>The command payload exceeds the applet's limit (892 bytes on applet 3.x, 1024 on 7.x); nothing was written.</summary>
        PayloadTooLong = 4,
    }
}
