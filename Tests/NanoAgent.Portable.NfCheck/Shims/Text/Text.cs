namespace System.Text
{
    public abstract class Encoding
    {
        public static Encoding UTF8 { get { throw null; } }
        public virtual byte[] GetBytes(string s) { throw null; }
        public virtual string GetString(byte[] bytes, int index, int count) { throw null; }
        public virtual char[] GetChars(byte[] bytes) { throw null; }
    }

    public sealed class StringBuilder
    {
        public StringBuilder() { throw null; }
        public StringBuilder(int capacity) { throw null; }
        public StringBuilder(string value) { throw null; }
        public int Length { get { throw null; } set { throw null; } }
        public StringBuilder Append(string value) { throw null; }
        public StringBuilder Append(char value) { throw null; }
        public StringBuilder Append(object value) { throw null; }
        public override string ToString() { throw null; }
    }
}
