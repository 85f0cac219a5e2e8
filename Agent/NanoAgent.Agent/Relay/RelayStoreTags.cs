namespace NanoAgent.Agent.Relay
{
    /// <summary>The BER-TLV tags of a relay store record's body, shared by its writer and its reader (layout in <see cref="RelayStoreCodec"/>).</summary>
    internal static class RelayStoreTags
    {
        /// <summary><c>E1</c>: a tenant's request counter.</summary>
        public const int Counter = 0xE1;

        /// <summary><c>E2</c>: a finished script's result.</summary>
        public const int Result = 0xE2;

        /// <summary><c>E3</c>: a script run in progress.</summary>
        public const int Run = 0xE3;

        /// <summary><c>E4</c>: a tenant's consecutive EXTERNAL AUTHENTICATE failures.</summary>
        public const int AuthFailures = 0xE4;

        /// <summary><c>80</c>: the tenant id (UTF-8).</summary>
        public const int Tenant = 0x80;

        /// <summary><c>81</c>: a request counter (8 bytes; version 1 wrote 4).</summary>
        public const int Number = 0x81;

        /// <summary><c>82</c>: a script id.</summary>
        public const int Id = 0x82;

        /// <summary><c>83</c>: an encoded result.</summary>
        public const int Bytes = 0x83;

        /// <summary><c>84</c>: a run's step count (4 bytes).</summary>
        public const int StepCount = 0x84;

        /// <summary><c>85</c>: the step being sent (4 bytes, FFFFFFFF for none).</summary>
        public const int Sending = 0x85;

        /// <summary><c>86</c>: an answered step.</summary>
        public const int Step = 0x86;

        /// <summary><c>87</c>: a failure count (4 bytes).</summary>
        public const int Failures = 0x87;

        /// <summary><c>C1</c>: the generation (4 bytes: which journal continues this snapshot).</summary>
        public const int Generation = 0xC1;
    }
}
