using System.Buffers.Binary;
using System.Text;

namespace LatentTerrain.Engine.Files;

/// <summary>
/// Writes pickle protocol 2 one opcode at a time, the way libtorch's pickler does: every string and
/// every global is put in the memo the first time and fetched from it after, integers take the
/// narrowest form. The caller says what to build; <see cref="TorchPickle"/> reads it back.
/// </summary>
internal sealed class TorchPickleWriter
{
    private readonly MemoryStream _bytes = new();
    private readonly Dictionary<string, int> _strings = [];
    private readonly Dictionary<string, int> _globals = [];
    private int _memo;

    public TorchPickleWriter()
    {
        Emit(0x80)._bytes.WriteByte(2); // PROTO 2
    }

    /// <summary>Ends the pickle (STOP) and returns its bytes.</summary>
    public byte[] Finish()
    {
        Emit('.');
        return _bytes.ToArray();
    }

    public TorchPickleWriter Global(string module, string name)
    {
        string key = $"{module}\n{name}";
        if (Recall(_globals, key)) return this;
        Emit('c')._bytes.Write(Encoding.ASCII.GetBytes($"{key}\n"));
        _globals[key] = Memo();
        return this;
    }

    public TorchPickleWriter String(string text)
    {
        if (Recall(_strings, text)) return this;
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        Emit('X').UInt32((uint)utf8.Length);
        _bytes.Write(utf8);
        _strings[text] = Memo();
        return this;
    }

    public TorchPickleWriter Integer(int value)
    {
        switch (value)
        {
            case >= 0 and <= byte.MaxValue:
                Emit('K')._bytes.WriteByte((byte)value);
                break;
            case >= 0 and <= ushort.MaxValue:
                Span<byte> two = stackalloc byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)value);
                Emit('M')._bytes.Write(two);
                break;
            default:
                Emit('J').UInt32((uint)value);
                break;
        }
        return this;
    }

    public TorchPickleWriter Boolean(bool value) => Emit(value ? 0x88 : 0x89);
    public TorchPickleWriter Mark() => Emit('(');
    /// <summary>TUPLE: the values since the last <see cref="Mark"/>.</summary>
    public TorchPickleWriter Tuple() => Emit('t');
    public TorchPickleWriter EmptyTuple() => Emit(')');
    public TorchPickleWriter Tuple1() => Emit(0x85);
    public TorchPickleWriter Tuple3() => Emit(0x87);
    public TorchPickleWriter EmptyList() => Emit(']');
    /// <summary>APPENDS: the values since the last <see cref="Mark"/> onto the list below them.</summary>
    public TorchPickleWriter Appends() => Emit('e');
    public TorchPickleWriter EmptyDictionary() => Emit('}');
    /// <summary>SETITEMS: the key/value pairs since the last <see cref="Mark"/> into the dictionary below them.</summary>
    public TorchPickleWriter SetItems() => Emit('u');
    /// <summary>BINPERSID: the tuple on top names an object stored outside the pickle.</summary>
    public TorchPickleWriter PersistentId() => Emit('Q');
    /// <summary>REDUCE: calls the global below the argument tuple on top.</summary>
    public TorchPickleWriter Reduce() => Emit('R');
    /// <summary>NEWOBJ: makes an object of the class below the argument tuple on top.</summary>
    public TorchPickleWriter NewObject() => Emit(0x81);
    /// <summary>BUILD: sets the object's state from the dictionary on top.</summary>
    public TorchPickleWriter Build() => Emit('b');

    /// <summary>Puts the value on top of the stack in the memo (BINPUT).</summary>
    public TorchPickleWriter Put()
    {
        Memo();
        return this;
    }

    private int Memo()
    {
        int index = _memo++;
        if (index <= byte.MaxValue)
            Emit('q')._bytes.WriteByte((byte)index);
        else
            Emit('r').UInt32((uint)index);
        return index;
    }

    /// <summary>Pushes a memoised value again (BINGET) when <paramref name="key"/> has been put before.</summary>
    private bool Recall(Dictionary<string, int> memo, string key)
    {
        if (!memo.TryGetValue(key, out int index)) return false;
        if (index <= byte.MaxValue)
            Emit('h')._bytes.WriteByte((byte)index);
        else
            Emit('j').UInt32((uint)index);
        return true;
    }

    private TorchPickleWriter Emit(char opcode) => Emit((int)opcode);

    private TorchPickleWriter Emit(int opcode)
    {
        _bytes.WriteByte((byte)opcode);
        return this;
    }

    private void UInt32(uint value)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(four, value);
        _bytes.Write(four);
    }
}
