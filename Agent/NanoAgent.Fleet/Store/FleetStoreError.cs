namespace NanoAgent.Fleet.Store;

/// <summary>Why the fleet store refused: each maps to one exit code (2 bad input, 3 unreachable, 1 refused by the rules).</summary>
public enum FleetStoreError
{
    /// <summary>The <c>--db</c> text is neither a file path nor a PostgreSQL URL or connection string.</summary>
    BadDatabaseName,

    /// <summary>The SQLite file does not exist (a command that only reads never creates one).</summary>
    NoSuchDatabase,

    /// <summary>The file or database is not a fleet database: corrupt, another program's, or another product's tables.</summary>
    NotAFleetDatabase,

    /// <summary>The database was made by a newer nanoagent (schema version above this one's).</summary>
    NewerSchema,

    /// <summary>The database server cannot be reached or refused the login.</summary>
    Unreachable,

    /// <summary>No campaign of that name.</summary>
    UnknownCampaign,

    /// <summary>A campaign of that name exists already.</summary>
    CampaignExists,

    /// <summary>A move the device or campaign state machine does not allow.</summary>
    IllegalTransition,
}
