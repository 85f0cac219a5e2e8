namespace System.Collections
{
    public class DictionaryEntry
    {
        public object Key;
        public object Value;

        public DictionaryEntry(object key, object value) { throw null; }
    }

    public interface IDictionaryEnumerator : IEnumerator
    {
        object Key { get; }
        object Value { get; }
        DictionaryEntry Entry { get; }
    }

    public interface IDictionary : ICollection
    {
        object this[object key] { get; set; }
        ICollection Keys { get; }
        ICollection Values { get; }
        bool Contains(object key);
        void Add(object key, object value);
        void Clear();
        void Remove(object key);
    }

    public class Hashtable : IDictionary, ICloneable
    {
        public Hashtable() { throw null; }
        public Hashtable(int capacity) { throw null; }
        public object this[object key] { get { throw null; } set { throw null; } }
        public ICollection Keys { get { throw null; } }
        public ICollection Values { get { throw null; } }
        public int Count { get { throw null; } }
        public bool IsSynchronized { get { throw null; } }
        public object SyncRoot { get { throw null; } }
        public void Add(object key, object value) { throw null; }
        public void Clear() { throw null; }
        public object Clone() { throw null; }
        public bool Contains(object key) { throw null; }
        public bool ContainsKey(object key) { throw null; }
        public void Remove(object key) { throw null; }
        public void CopyTo(Array array, int index) { throw null; }
        public IEnumerator GetEnumerator() { throw null; }
    }
}
