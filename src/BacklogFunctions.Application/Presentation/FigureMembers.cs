using System.Text.Json.Serialization.Metadata;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// The figures of <see cref="FigureColumns.All"/> as members of the JSON object that holds them, among its other
/// members: where a document type declares a <see cref="FigureMembers"/> property, <see cref="Inline"/> puts one
/// JSON member per figure, in the order of <see cref="FigureColumns.All"/>, in its place. So a new figure appears
/// in every document without a property of its own (decision 012). A figure the object does not hold is not
/// written, and reads as zero.
/// </summary>
public sealed class FigureMembers
{
    private readonly OrderedDictionary<string, string> _amounts = new(StringComparer.Ordinal);

    /// <summary>The amount of one figure as written (the currency's digits), or null when the object does not hold it.</summary>
    public string? this[string name] => _amounts.GetValueOrDefault(name);

    public bool Contains(string name) => _amounts.ContainsKey(name);

    /// <summary>Every figure of <paramref name="figures"/>, billing figures only when they belong to the object.</summary>
    public void Add(Figures figures, Currency currency, bool includeBilling)
    {
        foreach (var column in FigureColumns.All)
        {
            if (!column.IsBilling || includeBilling)
            {
                _amounts[column.Name] = currency.Format(column.Value(figures));
            }
        }
    }

    public Figures ToFigures() => StoredMoney.Figures(_amounts);

    /// <summary>A contract modifier (<see cref="JsonTypeInfoResolver.WithAddedModifier"/>): the figures of a <see cref="FigureMembers"/> property, inline.</summary>
    public static void Inline(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var index = 0; index < typeInfo.Properties.Count; index++)
        {
            var holder = typeInfo.Properties[index];
            if (holder.PropertyType != typeof(FigureMembers))
            {
                continue;
            }

            var membersOf = holder.Get ?? throw new InvalidOperationException($"{typeInfo.Type.Name}.{holder.Name} has no getter");
            typeInfo.Properties.RemoveAt(index);
            foreach (var column in FigureColumns.All)
            {
                if (column.Group is { } group)
                {
                    if (column == FigureColumns.All.First(c => c.Group == group))
                    {
                        typeInfo.Properties.Insert(index++, GroupProperty(typeInfo, group, membersOf));
                    }

                    continue;
                }

                var name = column.Name;
                var figure = typeInfo.CreateJsonPropertyInfo(typeof(string), name);
                figure.Get = owner => ((FigureMembers)membersOf(owner)!)[name];
                figure.Set = (owner, value) => ((FigureMembers)membersOf(owner)!)._amounts[name] = (string)value!;
                figure.ShouldSerialize = (_, value) => value is not null;
                typeInfo.Properties.Insert(index++, figure);
            }

            return;
        }
    }

    /// <summary>The figures of one group (<see cref="FigureColumn.Group"/>) as one nested object, by their member names.</summary>
    private static JsonPropertyInfo GroupProperty(JsonTypeInfo typeInfo, string group, Func<object, object?> membersOf)
    {
        var columns = FigureColumns.All.Where(c => c.Group == group).ToList();
        var property = typeInfo.CreateJsonPropertyInfo(typeof(OrderedDictionary<string, string>), group);
        property.Get = owner =>
        {
            var members = (FigureMembers)membersOf(owner)!;
            if (!columns.Any(c => members.Contains(c.Name)))
            {
                return null;
            }

            var nested = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var column in columns)
            {
                if (members[column.Name] is { } amount)
                {
                    nested.Add(column.Member!, amount);
                }
            }

            return nested;
        };
        property.Set = (owner, value) =>
        {
            var members = (FigureMembers)membersOf(owner)!;
            foreach (var (member, amount) in (OrderedDictionary<string, string>)value!)
            {
                if (columns.FirstOrDefault(c => c.Member == member) is { } column)
                {
                    members._amounts[column.Name] = amount;
                }
            }
        };
        property.ShouldSerialize = (_, value) => value is not null;
        return property;
    }
}
