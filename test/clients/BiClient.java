/*
 * test/clients/BiClient.java: what a BI tool does through PgJDBC.
 *
 *   java -cp postgresql.jar:. BiClient <jdbc-url> <query>...
 *
 * Runs each query as a server-side prepared statement (prepareThreshold=-1
 * in the URL) with binary transfer enabled, and prints every row with its
 * columns as getString() returns them, separated by "|" (NULL as empty), so
 * the output can be compared with psql's unaligned output.
 *
 * A query of the form "<query with one ?> <<< <source query>" is what a BI
 * filter does: the source query runs first, then the parameterized query
 * runs for each of its rows with that row's first column, as getString()
 * returned it, sent back as the parameter in text form with its type left
 * to the server (Types.OTHER); each output line is the value sent, then the
 * row(s) of the parameterized query.
 */
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

public class BiClient {
	/* the rows of a statement executed twice (the second surely named) */
	static List<String> rows(PreparedStatement st) throws Exception {
		List<String> out = new ArrayList<>();
		for (int round = 0; round < 2; round++) {
			out.clear();
			try (ResultSet rs = st.executeQuery()) {
				ResultSetMetaData md = rs.getMetaData();
				while (rs.next()) {
					StringBuilder row = new StringBuilder();
					for (int c = 1; c <= md.getColumnCount(); c++) {
						if (c > 1)
							row.append('|');
						String v = rs.getString(c);
						row.append(v == null ? "" : v);
					}
					out.add(row.toString());
				}
			}
		}
		return out;
	}

	public static void main(String[] args) throws Exception {
		try (Connection conn = DriverManager.getConnection(args[0])) {
			for (int q = 1; q < args.length; q++) {
				String[] parts = args[q].split(" <<< ", 2);
				if (parts.length == 1) {
					try (PreparedStatement st = conn.prepareStatement(args[q])) {
						for (String row : rows(st))
							System.out.println(row);
					}
				} else {
					List<String> values = new ArrayList<>();
					try (PreparedStatement src = conn.prepareStatement(parts[1]);
						 ResultSet rs = src.executeQuery()) {
						while (rs.next())
							values.add(rs.getString(1));
					}
					try (PreparedStatement st = conn.prepareStatement(parts[0])) {
						for (String v : values) {
							st.setObject(1, v, Types.OTHER);
							for (String row : rows(st))
								System.out.println(v + "|" + row);
						}
					}
				}
				System.out.println("--");
			}
		}
	}
}
