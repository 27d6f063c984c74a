/*
 * test/clients/BiClient.java: what a BI tool does through PgJDBC.
 *
 *   java -cp postgresql.jar:. BiClient <jdbc-url> <query>...
 *
 * Runs each query as a server-side prepared statement (prepareThreshold=-1
 * in the URL) with binary transfer enabled, and prints every row with its
 * columns as getString() returns them, separated by "|" (NULL as empty), so
 * the output can be compared with psql's unaligned output.
 */
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;

public class BiClient {
	public static void main(String[] args) throws Exception {
		try (Connection conn = DriverManager.getConnection(args[0])) {
			for (int q = 1; q < args.length; q++) {
				try (PreparedStatement st = conn.prepareStatement(args[q])) {
					/* twice: the second execution surely uses the named statement */
					for (int round = 0; round < 2; round++) {
						try (ResultSet rs = st.executeQuery()) {
							ResultSetMetaData md = rs.getMetaData();
							StringBuilder out = new StringBuilder();
							while (rs.next()) {
								for (int c = 1; c <= md.getColumnCount(); c++) {
									if (c > 1)
										out.append('|');
									String v = rs.getString(c);
									out.append(v == null ? "" : v);
								}
								out.append('\n');
							}
							if (round == 1)
								System.out.print(out);
						}
					}
				}
				System.out.println("--");
			}
		}
	}
}
