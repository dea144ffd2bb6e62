namespace AiSwitch;

/// <summary>Seed 003 <c>lock_type</c>: many shared holders at once, or one exclusive holder.</summary>
public enum LockMode
{
    Exclusive,
    Shared,
}
