namespace NanoAgent.Host.Gate;

/// <summary>A GPIO line of an actuator cannot be opened (no GPIO chip, line busy, no permission).</summary>
public sealed class GpioUnavailableException(string message, Exception inner) : IOException(message, inner);
