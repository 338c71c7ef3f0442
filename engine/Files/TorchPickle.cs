using System.Buffers.Binary;
using System.Text;

namespace LatentTerrain.Engine.Files;

/// <summary>
/// Reads the data.pkl of a PyTorch / libtorch serialize archive into plain values. It knows the
/// protocol-2 opcodes that torch's pickler writes for a module's tensors and exactly two calls
/// (rebuilding a tensor, making an OrderedDict); it never runs code the file names, and refuses
/// anything else with <see cref="InvalidDataException"/>.
/// </summary>
/// <remarks>
/// Values come out as: string, long, double, bool, null, object?[] (tuples), List&lt;object?&gt;,
/// Dictionary&lt;string, object?&gt;, <see cref="ScriptObject"/> (a scripted module with its attributes)
/// and <see cref="TensorView"/> (a tensor, not yet read from its storage).
/// </remarks>
internal static class TorchPickle
{
    /// <summary>A class or function the pickle names; only ever compared, never resolved.</summary>
    public sealed record Global(string Module, string Name)
    {
        public override string ToString() => $"{Module}.{Name}";
    }

    /// <summary>An object of a TorchScript class (in these files, a module) and its attributes by name.</summary>
    public sealed class ScriptObject(Global type)
    {
        public Global Type { get; } = type;
        public Dictionary<string, object?> Attributes { get; set; } = [];
    }

    /// <summary>A raw storage of the archive: the entry data/<see cref="Key"/>, holding <see cref="Count"/> elements of <see cref="Type"/> (FloatStorage, LongStorage…).</summary>
    public sealed record Storage(string Type, string Key, long Count);

    /// <summary>A tensor as torch._utils._rebuild_tensor_v2 describes it: a strided view on a storage.</summary>
    public sealed record TensorView(Storage Storage, long Offset, long[] Shape, long[] Stride);

    public static object? Read(byte[] pickle)
    {
        var stack = new List<object?>();
        var marks = new Stack<int>();
        var memo = new Dictionary<long, object?>();
        int position = 0;

        ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || position + count > pickle.Length) throw new InvalidDataException("data.pkl ends in the middle of an instruction");
            var span = pickle.AsSpan(position, count);
            position += count;
            return span;
        }
        string Line()
        {
            int end = Array.IndexOf(pickle, (byte)'\n', position);
            if (end < 0) throw new InvalidDataException("data.pkl ends in the middle of a name");
            string text = Encoding.ASCII.GetString(pickle, position, end - position);
            position = end + 1;
            return text;
        }
        object? Pop()
        {
            if (stack.Count == 0) throw new InvalidDataException("data.pkl pops an empty stack");
            object? top = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return top;
        }
        object? Top() => stack.Count > 0 ? stack[^1] : throw new InvalidDataException("data.pkl reads an empty stack");
        object?[] PopToMark()
        {
            if (marks.Count == 0) throw new InvalidDataException("data.pkl closes a group it never opened");
            int start = marks.Pop();
            var items = stack.GetRange(start, stack.Count - start).ToArray();
            stack.RemoveRange(start, stack.Count - start);
            return items;
        }
        T Expect<T>(object? value, string what) =>
            value is T typed ? typed : throw new InvalidDataException($"data.pkl has {Describe(value)} where {what} belongs");

        while (true)
        {
            byte opcode = Take(1)[0];
            switch (opcode)
            {
                case 0x80: Take(1); break;                                                   // PROTO
                case (byte)'.':                                                              // STOP
                    if (stack.Count != 1) throw new InvalidDataException("data.pkl ends with a malformed stack");
                    return stack[0];
                case (byte)'c': { string module = Line(); stack.Add(new Global(module, Line())); break; } // GLOBAL
                case (byte)'q': memo[Take(1)[0]] = Top(); break;                             // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Top(); break; // LONG_BINPUT
                case (byte)'h': stack.Add(Recall(memo, Take(1)[0])); break;                  // BINGET
                case (byte)'j': stack.Add(Recall(memo, BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'(': marks.Push(stack.Count); break;                              // MARK
                case (byte)')': stack.Add(Array.Empty<object?>()); break;                    // EMPTY_TUPLE
                case 0x85: stack.Add(new[] { Pop() }); break;                                // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'t': stack.Add(PopToMark()); break;                               // TUPLE
                case (byte)']': stack.Add(new List<object?>()); break;                       // EMPTY_LIST
                case (byte)'e': { var items = PopToMark(); Expect<List<object?>>(Top(), "a list").AddRange(items); break; } // APPENDS
                case (byte)'}': stack.Add(new Dictionary<string, object?>()); break;         // EMPTY_DICT
                case (byte)'u':                                                              // SETITEMS
                {
                    var items = PopToMark();
                    var dictionary = Expect<Dictionary<string, object?>>(Top(), "a dictionary");
                    if (items.Length % 2 != 0) throw new InvalidDataException("data.pkl sets a dictionary key without a value");
                    for (int i = 0; i < items.Length; i += 2) dictionary[Expect<string>(items[i], "a dictionary key")] = items[i + 1];
                    break;
                }
                case (byte)'N': stack.Add(null); break;                                      // NONE
                case 0x88: stack.Add(true); break;                                           // NEWTRUE
                case 0x89: stack.Add(false); break;                                          // NEWFALSE
                case (byte)'K': stack.Add((long)Take(1)[0]); break;                          // BININT1
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;  // BININT
                case 0x8a: stack.Add(Long1(Take(Take(1)[0]))); break;                        // LONG1
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                case (byte)'X':                                                              // BINUNICODE
                {
                    uint length = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
                    stack.Add(Encoding.UTF8.GetString(Take(length <= int.MaxValue ? (int)length : -1)));
                    break;
                }
                case (byte)'Q': stack.Add(PersistentStorage(Expect<object?[]>(Pop(), "a persistent id"))); break; // BINPERSID
                case (byte)'R':                                                              // REDUCE
                {
                    var arguments = Expect<object?[]>(Pop(), "call arguments");
                    stack.Add(Call(Expect<Global>(Pop(), "a function"), arguments));
                    break;
                }
                case 0x81:                                                                   // NEWOBJ
                {
                    Expect<object?[]>(Pop(), "constructor arguments");
                    var type = Expect<Global>(Pop(), "a class");
                    // TorchScript classes live under __torch__; anything else would be arbitrary Python.
                    if (type.Module != "__torch__" && !type.Module.StartsWith("__torch__.", StringComparison.Ordinal))
                        throw new InvalidDataException($"data.pkl makes an object of {type}, which a terrain checkpoint never does");
                    stack.Add(new ScriptObject(type));
                    break;
                }
                case (byte)'b':                                                              // BUILD
                {
                    var state = Expect<Dictionary<string, object?>>(Pop(), "an object's attributes");
                    Expect<ScriptObject>(Top(), "an object").Attributes = state;
                    break;
                }
                default:
                    throw new InvalidDataException($"data.pkl uses pickle opcode 0x{opcode:x2} (at byte {position - 1}), which this reader does not know");
            }
        }
    }

    private static object? Recall(Dictionary<long, object?> memo, long key) =>
        memo.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"data.pkl recalls memo entry {key} before storing it");

    private static long Long1(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 8) throw new InvalidDataException("data.pkl holds an integer wider than 64 bits");
        // Little-endian two's complement of any width up to 8 bytes: sign-extend from the top byte.
        long value = bytes.Length > 0 && (bytes[^1] & 0x80) != 0 ? -1L : 0L;
        for (int i = bytes.Length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        return value;
    }

    /// <summary>torch's persistent id for a storage: ('storage', torch.&lt;Type&gt;, key, location, element count).</summary>
    private static Storage PersistentStorage(object?[] id)
    {
        if (id is ["storage", Global { Module: "torch" } type, string key, string, long count] && count >= 0)
            return new Storage(type.Name, key, count);
        throw new InvalidDataException("data.pkl refers to something other than a tensor storage");
    }

    private static object? Call(Global function, object?[] arguments)
    {
        switch (function)
        {
            case { Module: "torch._utils", Name: "_rebuild_tensor_v2" }:
                if (arguments is [Storage storage, long offset, object?[] shape, object?[] stride, ..]
                    && shape.Length == stride.Length && shape.All(d => d is >= 0L) && stride.All(d => d is long))
                    return new TensorView(storage, offset, shape.Cast<long>().ToArray(), stride.Cast<long>().ToArray());
                throw new InvalidDataException("data.pkl rebuilds a tensor from malformed arguments");
            case { Module: "collections", Name: "OrderedDict" } when arguments.Length == 0:
                return new Dictionary<string, object?>();
            default:
                throw new InvalidDataException($"data.pkl calls {function}, which a terrain checkpoint never does");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        Global g => g.ToString(),
        _ => value.GetType().Name,
    };
}
