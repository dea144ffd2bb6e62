namespace AiSwitch;

/// <summary>Seed 003 <c>lock_type</c>: many shared holders at once, or one exclusive holder.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum LockMode : long
{
    Exclusive,
    Shared,
}
