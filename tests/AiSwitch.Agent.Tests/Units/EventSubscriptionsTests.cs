using System.Text.Json;

namespace AiSwitch.Agent.Tests.Units;

public sealed class EventSubscriptionsTests
{
    private static JsonElement Data(object value) => JsonSerializer.SerializeToElement(value);

    [Fact]
    public void An_event_is_wanted_when_a_subscription_takes_its_type_and_its_filter_matches_the_data()
    {
        var subscriptions = new EventSubscriptions();
        Assert.True(subscriptions.IsEmpty);
        Assert.False(subscriptions.Wants("task.completed", Data(new { task_id = "a" })));

        var id = subscriptions.Add(["task.completed"], new Dictionary<string, JsonElement> { ["task_id"] = Data("a"), ["attempt"] = Data(2) });

        Assert.False(subscriptions.IsEmpty);
        Assert.True(subscriptions.Wants("task.completed", Data(new { task_id = "a", attempt = 2, other = true })));
        Assert.False(subscriptions.Wants("task.completed", Data(new { task_id = "b", attempt = 2 })));
        Assert.False(subscriptions.Wants("task.completed", Data(new { task_id = "a" })));
        Assert.False(subscriptions.Wants("task.failed", Data(new { task_id = "a", attempt = 2 })));
        Assert.False(subscriptions.Wants("task.completed", Data("not an object")));
        Assert.True(subscriptions.Remove(id));
        Assert.False(subscriptions.Remove(id));
        Assert.True(subscriptions.IsEmpty);
    }

    [Fact]
    public void A_star_takes_every_type_and_an_empty_list_is_refused()
    {
        var subscriptions = new EventSubscriptions();
        subscriptions.Add([EventSubscriptions.AnyType], null);

        Assert.True(subscriptions.Wants("anything.at_all", Data(1)));
        Assert.Equal(ErrorId.InvalidArgument, Assert.Throws<AiSwitchException>(() => subscriptions.Add([], null)).Id);
    }
}
